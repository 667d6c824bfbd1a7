using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DailyRefusalAndPackageRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TokenDailyPackageDownloads",
                columns: table => new
                {
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Package = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Downloads = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenDailyPackageDownloads", x => new { x.TokenId, x.Day, x.CustomerId, x.Package, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "TokenDailyRefusals",
                columns: table => new
                {
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Attempts = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenDailyRefusals", x => new { x.TokenId, x.Day, x.CustomerId, x.Status, x.Reason });
                });

            // The events stored so far, summed as the live store adds them (before the indexes: one build, not a
            // row-by-row update). Empty texts and id 0 stand for none, as in the rollups' keys.
            migrationBuilder.Sql("INSERT INTO \"TokenDailyRefusals\" (\"TokenId\", \"Day\", \"CustomerId\", \"Status\", \"Reason\", \"Attempts\") SELECT COALESCE(\"TokenId\", 0), substr(\"At\", 1, 10) || ' 00:00:00', COALESCE(\"CustomerId\", 0), \"Status\", COALESCE(\"Reason\", ''), SUM(\"Attempts\") FROM \"DownloadEvents\" WHERE \"Status\" >= 400 GROUP BY COALESCE(\"TokenId\", 0), substr(\"At\", 1, 10) || ' 00:00:00', COALESCE(\"CustomerId\", 0), \"Status\", COALESCE(\"Reason\", '');");
            migrationBuilder.Sql("INSERT INTO \"TokenDailyPackageDownloads\" (\"TokenId\", \"Day\", \"CustomerId\", \"Package\", \"Version\", \"Downloads\") SELECT COALESCE(\"TokenId\", 0), substr(\"At\", 1, 10) || ' 00:00:00', COALESCE(\"CustomerId\", 0), COALESCE(\"Package\", ''), COALESCE(\"Version\", ''), COUNT(*) FROM \"DownloadEvents\" WHERE \"Counted\" = 1 GROUP BY COALESCE(\"TokenId\", 0), substr(\"At\", 1, 10) || ' 00:00:00', COALESCE(\"CustomerId\", 0), COALESCE(\"Package\", ''), COALESCE(\"Version\", '');");

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyPackageDownloads_CustomerId_Day_Package_Version_Downloads",
                table: "TokenDailyPackageDownloads",
                columns: new[] { "CustomerId", "Day", "Package", "Version", "Downloads" });

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyRefusals_CustomerId_Day_Status_Reason_Attempts",
                table: "TokenDailyRefusals",
                columns: new[] { "CustomerId", "Day", "Status", "Reason", "Attempts" });

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyRefusals_Day_Reason_Status_Attempts",
                table: "TokenDailyRefusals",
                columns: new[] { "Day", "Reason", "Status", "Attempts" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TokenDailyPackageDownloads");

            migrationBuilder.DropTable(
                name: "TokenDailyRefusals");
        }
    }
}
