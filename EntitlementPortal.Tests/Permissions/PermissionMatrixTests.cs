using System.Net;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Tests.Permissions;

public enum Through
{
    Service,
    Api,
}

/// <summary>
/// Every operation of <see cref="PermissionMatrix"/> as every caller, through the service and through the API:
/// allowed where the matrix says so (and then it really changed something, for a change), refused or hidden where
/// not, and a refused call changed nothing at all.
/// </summary>
public sealed class PermissionMatrixTests(MatrixWorld world) : IClassFixture<MatrixWorld>
{
    public static TheoryData<string, Caller, Through> Cases()
    {
        var cases = new TheoryData<string, Caller, Through>();
        foreach (var operation in MatrixOperations.All)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                if (operation.Service is not null)
                {
                    cases.Add(operation.Name, caller, Through.Service);
                }
                if (operation.Api is not null)
                {
                    cases.Add(operation.Name, caller, Through.Api);
                }
            }
        }
        return cases;
    }

    [Fact]
    public void Every_row_of_the_matrix_has_an_operation_and_every_operation_a_row()
    {
        Assert.Equal(PermissionMatrix.Rows.Select(r => r.Operation), MatrixOperations.All.Select(o => o.Name));
        Assert.All(MatrixOperations.All, o => Assert.True(o.Service is not null || o.Api is not null, o.Name));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Caller_gets_what_the_matrix_says(string operation, Caller caller, Through through)
    {
        var expected = PermissionMatrix.Find(operation).For(caller);
        var run = MatrixOperations.Find(operation);
        var target = await world.ArrangeAsync();
        var before = await world.FingerprintAsync();

        var outcome = through == Through.Service
            ? await ThroughServiceAsync(run, target, caller)
            : await ThroughApiAsync(run, target, caller);

        var after = await world.FingerprintAsync();
        if (expected == Expected.Yes)
        {
            Assert.Equal(Expected.Yes, outcome);
            if (run.Changes)
            {
                Assert.NotEqual(before, after);
            }
        }
        else
        {
            Assert.Equal(expected, outcome);
            Assert.Equal(before, after);
        }
    }

    private async Task<Expected> ThroughServiceAsync(MatrixOperation run, MatrixTarget target, Caller caller)
    {
        var actor = caller == Caller.Anonymous ? MatrixPeople.Anonymous : world.People[caller].Actor;
        try
        {
            return await run.Service!(world, target, actor) ? Expected.Yes : Expected.No;
        }
        catch (ForbiddenException)
        {
            return Expected.No;
        }
        catch (NotFoundException) when (caller != Caller.Anonymous)
        {
            return Expected.Hidden;
        }
        catch (NotFoundException)
        {
            // Nobody signed in: hidden or refused, never allowed; the matrix calls both "no".
            return Expected.No;
        }
    }

    private async Task<Expected> ThroughApiAsync(MatrixOperation run, MatrixTarget target, Caller caller)
    {
        using var client = world.ClientFor(caller);
        using var response = await run.Api!(client, target, world, caller);
        if (caller == Caller.Anonymous)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            return Expected.No;
        }
        return response.StatusCode switch
        {
            HttpStatusCode.Forbidden => Expected.No,
            HttpStatusCode.NotFound => Expected.Hidden,
            _ when run.AllowedOverApi is { } judge => await judge(response) ? Expected.Yes : Expected.No,
            _ when response.IsSuccessStatusCode => Expected.Yes,
            _ => throw new Xunit.Sdk.XunitException($"{run.Name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}"),
        };
    }
}
