using EntitlementPortal.Components.Shared;
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

    [Fact]
    public void The_filters_go_into_the_address_as_days_and_come_back_from_it()
    {
        var url = ListUrlState.FromUri("http://portal/audit", defaultSort: null, filterKeys: AuditFilter.UrlKeys);
        new AuditFilter { Actor = " grace ", EntityType = "token", Action = "update", FromDate = new DateTime(2026, 3, 2), ToDate = new DateTime(2026, 3, 4) }
            .WriteTo(url);
        url.TakePage(1, 50);

        var address = url.ApplyTo("http://portal/audit");
        var back = AuditFilter.FromUrl(ListUrlState.FromUri(address, defaultSort: null, filterKeys: AuditFilter.UrlKeys));

        Assert.Equal("http://portal/audit?page=2&pageSize=50&actor=grace&entity=token&action=update&from=2026-03-02&to=2026-03-04", address);
        Assert.Equal(new AuditQuery(Actor: "grace", EntityType: "token", Action: "update",
            From: new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc), To: new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc).AddTicks(-1)), back.ToQuery());
    }

    [Fact]
    public void Unknown_entity_types_and_actions_and_unreadable_days_in_the_address_read_as_no_filter()
    {
        var url = ListUrlState.FromUri("http://portal/audit?entity=planet&action=explode&from=2026-13-01&to=yesterday&actor=ada",
            defaultSort: null, filterKeys: AuditFilter.UrlKeys);

        Assert.Equal(new AuditQuery(Actor: "ada"), AuditFilter.FromUrl(url).ToQuery());
    }
}
