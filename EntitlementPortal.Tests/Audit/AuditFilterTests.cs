using EntitlementPortal.Features.Audit;

namespace EntitlementPortal.Tests.Audit;

public sealed class AuditFilterTests
{
    [Fact]
    public void Dates_become_whole_utc_days_with_the_end_day_included()
    {
        var filter = new AuditFilter { FromDate = new DateTime(2026, 3, 2, 15, 30, 0), ToDate = new DateTime(2026, 3, 4) };

        var query = filter.ToQuery();

        Assert.Equal(new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc), query.From);
        Assert.Equal(DateTimeKind.Utc, query.From!.Value.Kind);
        Assert.Equal(new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc).AddTicks(-1), query.To);
        Assert.Equal(DateTimeKind.Utc, query.To!.Value.Kind);
    }

    [Fact]
    public void Blank_filters_ask_for_everything()
    {
        var query = new AuditFilter { Actor = "   " }.ToQuery();

        Assert.Equal(new AuditQuery(), query);
    }

    [Fact]
    public void Actor_is_trimmed_and_selections_pass_through()
    {
        var query = new AuditFilter { Actor = " grace ", EntityType = "customer", Action = "revoke" }.ToQuery();

        Assert.Equal(new AuditQuery(Actor: "grace", EntityType: "customer", Action: "revoke"), query);
    }
}
