using FluentValidation;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>What a person or the API sends to create or change a subscription (the form binds to it too).</summary>
public sealed class WebhookInput
{
    public string Url { get; set; } = "";
    public List<string> Events { get; set; } = [];

    /// <summary>Required when creating; on a change, null keeps the stored secret. Never returned.</summary>
    public string? Secret { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>A repository slug: only that repository's events. Null for all.</summary>
    public string? Repo { get; set; }

    public WebhookInput Copy() => new() { Url = Url, Events = [.. Events], Secret = Secret, IsActive = IsActive, Repo = Repo };
}

/// <summary>A subscription as pages and the API show it; the secret is never part of it.</summary>
public sealed record WebhookView(
    int Id, string Url, IReadOnlyList<string> Events, bool IsActive, string? Repo, DateTime CreatedAt, DateTime UpdatedAt,
    WebhookDeliveryStatus? LastDeliveryStatus, DateTime? LastDeliveryAt)
{
    public WebhookInput ToInput() => new() { Url = Url, Events = [.. Events], IsActive = IsActive, Repo = Repo };
}

/// <summary>One delivery and how its attempts went.</summary>
public sealed record WebhookDeliveryView(
    string Id, int SubscriptionId, string Event, DateTime At, WebhookDeliveryStatus Status, int Attempts,
    DateTime? NextAttemptAt, DateTime? LastAttemptAt, int? ResponseStatus, string? ResponseExcerpt, string? Error,
    DateTime? DeliveredAt, string? ResentFromId, DateTime CreatedAt);

public sealed class WebhookInputValidator : AbstractValidator<WebhookInput>
{
    public WebhookInputValidator()
    {
        RuleFor(w => w.Url).Custom((url, context) =>
        {
            if (WebhookTargets.ShapeRefusal(url) is { } refusal)
            {
                context.AddFailure(refusal);
            }
        });
        RuleFor(w => w.Events)
            .NotEmpty().WithMessage("Choose at least one event.");
        RuleForEach(w => w.Events)
            .Must(WebhookEventNames.Exists)
            .WithMessage((_, name) => $"'{name}' is not an event. Events: {string.Join(", ", WebhookEventNames.All)}.");
        RuleFor(w => w.Secret!)
            .Length(WebhookRules.SecretMinLength, WebhookRules.SecretMaxLength)
            .WithMessage($"Secret must be {WebhookRules.SecretMinLength} to {WebhookRules.SecretMaxLength} characters.")
            .When(w => w.Secret is not null);
    }
}
