using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

public sealed class DownloadExportTests : DownloadTestBase
{
    private const string Header = "at,repo,package,version,filename,tokenId,tokenName,customerId,customerName,userId,authMethod,clientIp,userAgent,status,bytes,reason";

    [Fact]
    public async Task Export_streams_csv_with_the_contract_header_and_one_row_per_attempt_oldest_first()
    {
        var customer = await (await Api.PostAsJsonAsync("/api/v1/customers", new { name = "Acme, Inc." }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var customerId = customer.GetProperty("id").GetInt32();
        var (id, token) = await CreateTokenAsync(new { name = "Export \"main\"", customerId });
        await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.UserAgent.ParseAdd("pip/24.0"));
        await GetAsync($"/dl/{token}/{Repo}/{Package}/{Version}/missing.zip");
        await EventsAsync(2);

        var response = await Api.GetAsync($"/api/v1/downloads/export?tokenId={id}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split("\r\n");
        Assert.Equal(Header, lines[0]);
        Assert.Equal(4, lines.Length); // header, two rows, and the empty string after the last CRLF
        Assert.Equal("", lines[3]);
        var served = lines[1].Split(',');
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", served[0]);
        Assert.Equal([Repo, Package, Version, Filename, id.ToString()], served[1..6]);
        Assert.Contains("\"Export \"\"main\"\"\"", lines[1], StringComparison.Ordinal);
        Assert.Contains($",{customerId},\"Acme, Inc.\",,tokenInPath,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith($",pip/24.0,200,{Content.Length},", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",404,0,not_found", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_values_are_quoted_and_formula_prefixes_neutralised()
    {
        var hostile = HistoryRows.Served(new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc));
        hostile.UserAgent = "=HYPERLINK(\"http://evil\",\"x\")";
        hostile.Package = "+cmd|' /C calc'!A0";
        hostile.Version = "-1";
        hostile.Filename = "@SUM(A1)";
        hostile.Reason = "line\r\nbreak";
        var tabbed = HistoryRows.Refused(new DateTime(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc), "\tTAB");
        tabbed.UserAgent = "\rCR, comma";
        await App.WithDbAsync(async db => { await HistoryRows.AddAsync(db, hostile, tabbed); return 0; });

        var csv = await (await Api.GetAsync("/api/v1/downloads/export", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",", csv, StringComparison.Ordinal);
        Assert.Contains(",'+cmd|' /C calc'!A0,'-1,'@SUM(A1),", csv, StringComparison.Ordinal);
        Assert.Contains(",\"line\r\nbreak\"\r\n2026-11-21", csv, StringComparison.Ordinal);
        Assert.Contains(",\"'\rCR, comma\",403,0,'\tTAB\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_applies_the_same_filters_as_the_list()
    {
        var day = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
        await App.WithDbAsync(async db =>
        {
            await HistoryRows.AddAsync(db, HistoryRows.Served(day, tokenId: 1), HistoryRows.Refused(day.AddHours(1), "disabled", tokenId: 1),
                HistoryRows.Served(day.AddDays(3), tokenId: 2));
            return 0;
        });

        async Task<int> RowsAsync(string filter) =>
            (await (await Api.GetAsync($"/api/v1/downloads/export?{filter}", Ct)).Content.ReadAsStringAsync(Ct)).Split("\r\n").Length - 2;

        Assert.Equal(3, await RowsAsync(""));
        Assert.Equal(2, await RowsAsync("tokenId=1"));
        Assert.Equal(1, await RowsAsync("tokenId=1&outcome=refused"));
        Assert.Equal(1, await RowsAsync("reason=disabled"));
        Assert.Equal(1, await RowsAsync("from=2026-11-22T00:00:00Z"));
        Assert.Equal(0, await RowsAsync("status=500"));
    }

    [Fact]
    public void A_cell_is_left_alone_unless_it_needs_quoting_or_neutralising()
    {
        Assert.Equal("plain", DownloadCsv.Cell("plain"));
        Assert.Equal("", DownloadCsv.Cell(null));
        Assert.Equal("a=b", DownloadCsv.Cell("a=b"));
        Assert.Equal("'=1", DownloadCsv.Cell("=1"));
        Assert.Equal("\"'-1,2\"", DownloadCsv.Cell("-1,2"));
        Assert.Equal("\"say \"\"hi\"\"\"", DownloadCsv.Cell("say \"hi\""));
        Assert.Equal("\"a\nb\"", DownloadCsv.Cell("a\nb"));
    }

    [Fact]
    public async Task Members_without_a_staff_role_cannot_export()
    {
        var key = await App.CreateUserWithKeyAsync("member@example.com");
        await (await App.CreateApiClient(key).GetAsync("/api/v1/downloads/export", Ct)).AssertProblemAsync(403);
        var manager = await App.CreateUserWithKeyAsync("am@example.com", Roles.AccountManager);
        Assert.Equal(HttpStatusCode.OK, (await App.CreateApiClient(manager).GetAsync("/api/v1/downloads/export", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_portal_export_serves_the_same_csv_to_a_signed_in_person_and_nobody_else()
    {
        await App.WithDbAsync(async db => { await HistoryRows.AddAsync(db, HistoryRows.Served(new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc), tokenId: 5)); return 0; });
        var browser = AccountSession.CreateClient(App);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(DownloadHistoryEndpoints.PortalExportPath, Ct)).StatusCode);
        await AccountSession.SignInAsync(browser, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword);

        var response = await browser.GetAsync(DownloadHistoryEndpoints.PortalExportPath + "?tokenId=5", Ct);
        var csv = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(Header + "\r\n2026-11-20T00:00:00.000Z,acme,", csv, StringComparison.Ordinal);
        Assert.Equal(3, csv.Split("\r\n").Length);
        var problem = await (await browser.GetAsync(DownloadHistoryEndpoints.PortalExportPath + "?from=later", Ct)).AssertProblemAsync(400);
        Assert.NotEmpty(problem.ErrorsFor("from"));
    }
}
