using AngleSharp.Dom;
using Bunit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Teams;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Features.Users;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Repositories;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Shared;

/// <summary>What every form dialog does the same way: quiet until used, focus on the first field, and no typing lost to a stray click.</summary>
public sealed class FormDialogTests : RepositoryComponentTest
{
    private static readonly DateTime Now = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Each dialog with its first field and text to type there (a picker gets none).</summary>
    private static readonly (string Dialog, string FirstField, string? Text)[] All =
    [
        ("repository", "#repository-name", "Acme builds"),
        ("team", "#team-slug", "ops"),
        ("team-members", "#team-member-user", "bo@example.com"),
        ("token", "#token-name", "Acme CI"),
        ("token-refresh", "#token-grace", "2"),
        ("token-sync", "#token-sync-source", null),
        ("customer", "#customer-name", "Acme Ltd"),
        ("edit-user", "#user-email", "bo2@example.com"),
        ("new-user", "#user-email", "bo@example.com"),
        ("package-upload", "#upload-name", "widget"),
    ];

    public static TheoryData<string, string> Dialogs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (dialog, field, _) in All)
        {
            data.Add(dialog, field);
        }
        return data;
    }

    public static TheoryData<string, string, string> DialogsWithText()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (dialog, field, text) in All)
        {
            if (text is not null)
            {
                data.Add(dialog, field, text);
            }
        }
        return data;
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(string dialog, string firstField)
    {
        await SeedAsync("acme", "Acme builds");
        await SeedAsync("globex", "Globex builds");
        SignIn("ada@example.com", Roles.Administrator);
        var host = RenderDialogHost();
        var service = Services.GetRequiredService<IDialogService>();
        await host.InvokeAsync(() =>
        {
            // Left running: the dialog's result is what the page would wait for, not this test.
            _ = dialog switch
            {
                "repository" => (Task)service.ShowRepositoryFormAsync(),
                "team" => TeamFormDialog.OpenAsync(service),
                "team-members" => TeamMembersDialog.OpenAsync(service, new TeamView(1, "ops", "Ops", [], Now, Now)),
                "token" => TokenFormDialog.OpenAsync(service, "acme"),
                "token-refresh" => TokenRefreshDialog.OpenAsync(service, "Acme CI"),
                "token-sync" => TokenSyncDialog.OpenAsync(service, "acme"),
                "customer" => CustomerFormDialog.OpenAsync(service),
                "edit-user" => EditUserDialog.OpenAsync(service, new UserView("u1", "bo@example.com", "Bo", [], false, Now, null), isSelf: false),
                "new-user" => NewUserDialog.OpenAsync(service),
                "package-upload" => service.ShowPackageUploadAsync("acme"),
                _ => throw new ArgumentOutOfRangeException(nameof(dialog), dialog, null),
            };
        });
        host.WaitForElement(firstField);
        return host;
    }

    private static IReadOnlyList<string> ShownErrors(IRenderedComponent<MudDialogProvider> host) =>
        host.FindAll(".mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();

    /// <summary>Immediate fields listen to every keystroke (input), the others to the committed value (change).</summary>
    private static void Type(IElement field, string text)
    {
        if (field.HasAttribute("blazor:oninput"))
        {
            field.Input(text);
        }
        else
        {
            field.Change(text);
        }
    }

    private static void ClickBackdrop(IRenderedComponent<MudDialogProvider> host) => host.FindAll(".mud-overlay")[0].Click();

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task Opens_with_the_first_field_focused_and_no_error_shown(string dialog, string firstField)
    {
        var host = await OpenAsync(dialog, firstField);

        Assert.Empty(ShownErrors(host));
        Assert.DoesNotContain("required", string.Concat(host.FindAll(".mud-dialog").Select(d => d.TextContent)), StringComparison.OrdinalIgnoreCase);
        if (dialog == "token-sync")
        {
            // A select takes focus on an element of its own that bUnit does not render; the browser test shows focus.
            return;
        }
        // The last element asked to take focus is the one that has it.
        var focus = JSInterop.Invocations.Last(i => i.Identifier == "Blazor._internal.domWrapper.focus");
        var focused = host.Find($"[blazor\\:elementReference='{((ElementReference)focus.Arguments[0]!).Id}']");
        Assert.True(host.Find(firstField).Closest(".mud-input-control") == focused.Closest(".mud-input-control"), focused.OuterHtml);
    }

    [Theory]
    [InlineData("repository", "#repository-name", "#repository-description")]
    [InlineData("team", "#team-slug", "#team-name")]
    [InlineData("token", "#token-name", "#token-package-query")]
    [InlineData("customer", "#customer-name", "#customer-company")]
    [InlineData("new-user", "#user-email", "#user-name")]
    [InlineData("package-upload", "#upload-name", "#upload-tags")]
    public async Task Typing_in_one_field_shows_no_error_on_the_fields_not_yet_used(string dialog, string firstField, string otherField)
    {
        var host = await OpenAsync(dialog, firstField);

        Type(host.Find(otherField), "x");
        host.Find(otherField).Blur();

        Assert.Empty(ShownErrors(host));
    }

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task A_click_on_the_backdrop_closes_a_dialog_nothing_was_typed_in(string dialog, string firstField)
    {
        var host = await OpenAsync(dialog, firstField);

        ClickBackdrop(host);

        host.WaitForAssertion(() => Assert.Empty(host.FindAll(firstField)));
        Assert.DoesNotContain("Discard your changes?", host.Markup);
    }

    [Theory]
    [MemberData(nameof(DialogsWithText))]
    public async Task A_click_on_the_backdrop_after_typing_asks_first_and_keeps_the_text_unless_discarded(
        string dialog, string firstField, string text)
    {
        var host = await OpenAsync(dialog, firstField);
        Type(host.Find(firstField), text);

        ClickBackdrop(host);
        host.WaitForAssertion(() => Assert.Contains("Discard your changes?", host.Markup));
        host.Find("#confirm-cancel").Click();

        host.WaitForAssertion(() => Assert.DoesNotContain("Discard your changes?", host.Markup));
        Assert.Equal(text, host.Find(firstField).GetAttribute("value"));

        ClickBackdrop(host);
        host.WaitForAssertion(() => Assert.Contains("Discard your changes?", host.Markup));
        host.Find("#confirm-ok").Click();

        host.WaitForAssertion(() => Assert.Empty(host.FindAll(firstField)));
    }
}
