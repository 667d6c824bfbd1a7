using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DownloadHistoryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Counted",
                table: "DownloadEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "TokenDailyUsage",
                columns: table => new
                {
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Downloads = table.Column<long>(type: "INTEGER", nullable: false),
                    Bytes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenDailyUsage", x => new { x.TokenId, x.Day });
                });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_ClientIp_At",
                table: "DownloadEvents",
                columns: new[] { "ClientIp", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_Package_Version_At",
                table: "DownloadEvents",
                columns: new[] { "Package", "Version", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_Reason_At",
                table: "DownloadEvents",
                columns: new[] { "Reason", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_Status_At",
                table: "DownloadEvents",
                columns: new[] { "Status", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_UserId_At",
                table: "DownloadEvents",
                columns: new[] { "UserId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_Version_At",
                table: "DownloadEvents",
                columns: new[] { "Version", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyUsage_Day",
                table: "TokenDailyUsage",
                column: "Day");

            // Events stored before this migration: a served whole file counted (the reading the history used
            // until now), and the daily rollup filled from them.
            migrationBuilder.Sql("UPDATE \"DownloadEvents\" SET \"Counted\" = 1 WHERE \"Status\" = 200 AND \"Filename\" IS NOT NULL AND \"Bytes\" > 0 AND \"TokenId\" IS NOT NULL;");
            migrationBuilder.Sql("INSERT INTO \"TokenDailyUsage\" (\"TokenId\", \"Day\", \"Downloads\", \"Bytes\") SELECT \"TokenId\", substr(\"At\", 1, 10) || ' 00:00:00', SUM(CASE WHEN \"Counted\" = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN \"Status\" < 400 AND \"Filename\" IS NOT NULL THEN \"Bytes\" ELSE 0 END) FROM \"DownloadEvents\" WHERE \"TokenId\" IS NOT NULL GROUP BY \"TokenId\", substr(\"At\", 1, 10) || ' 00:00:00' HAVING SUM(CASE WHEN \"Counted\" = 1 THEN 1 ELSE 0 END) > 0 OR SUM(CASE WHEN \"Status\" < 400 AND \"Filename\" IS NOT NULL THEN \"Bytes\" ELSE 0 END) > 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TokenDailyUsage");

            migrationBuilder.DropIndex(
                name: "IX_DownloadEvents_ClientIp_At",
                table: "DownloadEvents");

            migrationBuilder.DropIndex(
                name: "IX_DownloadEvents_Package_Version_At",
                table: "DownloadEvents");

            migrationBuilder.DropIndex(
                name: "IX_DownloadEvents_Reason_At",
                table: "DownloadEvents");

            migrationBuilder.DropIndex(
                name: "IX_DownloadEvents_Status_At",
                table: "DownloadEvents");

            migrationBuilder.DropIndex(
                name: "IX_DownloadEvents_UserId_At",
                table: "DownloadEvents");

            migrationBuilder.DropIndex(
                name: "IX_DownloadEvents_Version_At",
                table: "DownloadEvents");

            migrationBuilder.DropColumn(
                name: "Counted",
                table: "DownloadEvents");
        }
    }
}
