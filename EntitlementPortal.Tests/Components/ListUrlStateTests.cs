using EntitlementPortal.Components.Shared;
using MudBlazor;

namespace EntitlementPortal.Tests.Components;

public sealed class ListUrlStateTests
{
    [Fact]
    public void Reads_page_size_sort_search_and_filters_with_the_lists_prefix_only()
    {
        var state = ListUrlState.FromUri(
            "http://host/customers/3?tab=usage&tokens-page=3&tokens-pageSize=50&tokens-sort=downloads&tokens-desc=true&tokens-q=ci&tokens-status=active&page=9",
            defaultSort: "name", prefix: "tokens-", "status");

        Assert.Equal(3, state.Page);
        Assert.Equal(50, state.PageSize);
        Assert.Equal("downloads", state.Sort);
        Assert.True(state.Descending);
        Assert.Equal("ci", state.Search);
        Assert.Equal("active", state.Filter("status"));
        Assert.Equal(SortDirection.Descending, state.DirectionOf("downloads"));
        Assert.Equal(SortDirection.None, state.DirectionOf("name"));
    }

    [Theory]
    [InlineData("?page=0&pageSize=7")]
    [InlineData("?page=-1&pageSize=abc")]
    [InlineData("?page=99999999999999999999&pageSize=100000")]
    [InlineData("?desc=true")]
    public void Unreadable_values_fall_back_to_the_defaults(string query)
    {
        var state = ListUrlState.FromUri("http://host/tokens" + query, defaultSort: "name");

        Assert.Equal(1, state.Page);
        Assert.Equal(ListUrlState.DefaultPageSize, state.PageSize);
        Assert.Null(state.Sort);
        Assert.False(state.Descending);
        Assert.Equal(SortDirection.Ascending, state.DirectionOf("name"));
    }

    [Fact]
    public void Writing_keeps_other_parameters_drops_defaults_and_cleared_filters()
    {
        var state = ListUrlState.FromUri("http://host/packages?repo=acme&created=true&q=agent&page=2", defaultSort: "name", filterKeys: "repo");

        state.Take(new TableState { Page = 0, PageSize = 25, SortLabel = "name", SortDirection = SortDirection.Ascending });
        state.SetSearch("  ");
        state.SetFilter("repo", null);

        Assert.Equal("http://host/packages?created=true", state.ApplyTo("http://host/packages?repo=acme&created=true&q=agent&page=2"));
    }

    [Fact]
    public void Writing_a_sort_other_than_the_default_and_a_later_page()
    {
        var state = ListUrlState.FromUri("http://host/tokens", defaultSort: "name", filterKeys: "status");

        state.Take(new TableState { Page = 2, PageSize = 50, SortLabel = "lastDownloadAt", SortDirection = SortDirection.Descending });
        state.SetSearch("acme & co");
        state.SetFilter("status", "disabled", defaultValue: "all");

        Assert.Equal("http://host/tokens?page=3&pageSize=50&sort=lastDownloadAt&desc=true&q=acme%20%26%20co&status=disabled",
            state.ApplyTo("http://host/tokens"));
    }

    [Fact]
    public void A_filter_the_list_does_not_declare_is_refused()
    {
        var state = ListUrlState.FromUri("http://host/tokens", defaultSort: "name", filterKeys: "status");

        Assert.Throws<ArgumentException>(() => state.SetFilter("created", "true"));
    }
}
