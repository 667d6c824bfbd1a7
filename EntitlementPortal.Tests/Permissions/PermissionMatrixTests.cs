using System.Net;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Tests.Permissions;

public enum Through
{
    Service,
    Api,
}

/// <summary>
/// Every operation of <see cref="PermissionMatrix"/> as every caller through the service layer: allowed where the
/// matrix says so (and then it really changed something, for a change), refused or hidden where not, and a refused
/// call changed nothing at all. <see cref="PermissionMatrixApiTests"/> does the same through the API, on an app of its
/// own so that the two halves run side by side.
/// </summary>
public sealed class PermissionMatrixTests(MatrixWorld world) : PermissionMatrixCases(world), IClassFixture<MatrixWorld>
{
    public static TheoryData<string, Caller, Through> Cases() => CasesThrough(Through.Service);

    [Fact]
    public void Every_row_of_the_matrix_has_an_operation_and_every_operation_a_row()
    {
        Assert.Equal(PermissionMatrix.Rows.Select(r => r.Operation), MatrixOperations.All.Select(o => o.Name));
        Assert.All(MatrixOperations.All, o => Assert.True(o.Service is not null || o.Api is not null, o.Name));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Caller_gets_what_the_matrix_says(string operation, Caller caller, Through through) =>
        AssertCaseAsync(operation, caller, through);
}

/// <summary>The API half of the matrix (see <see cref="PermissionMatrixTests"/>).</summary>
public sealed class PermissionMatrixApiTests(MatrixWorld world) : PermissionMatrixCases(world), IClassFixture<MatrixWorld>
{
    public static TheoryData<string, Caller, Through> Cases() => CasesThrough(Through.Api);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Caller_gets_what_the_matrix_says(string operation, Caller caller, Through through) =>
        AssertCaseAsync(operation, caller, through);
}

/// <summary>One case of the matrix: arrange a target of its own, call, compare the outcome and what changed.</summary>
public abstract class PermissionMatrixCases(MatrixWorld world)
{
    protected static TheoryData<string, Caller, Through> CasesThrough(Through through)
    {
        var cases = new TheoryData<string, Caller, Through>();
        foreach (var operation in MatrixOperations.All.Where(o => through == Through.Service ? o.Service is not null : o.Api is not null))
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                cases.Add(operation.Name, caller, through);
            }
        }
        return cases;
    }

    protected async Task AssertCaseAsync(string operation, Caller caller, Through through)
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
