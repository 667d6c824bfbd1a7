using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DownloadFloodSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "DownloadEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "SummaryKey",
                table: "DownloadEvents",
                type: "TEXT",
                maxLength: 96,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_SummaryKey",
                table: "DownloadEvents",
                column: "SummaryKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DownloadEvents_SummaryKey",
                table: "DownloadEvents");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "DownloadEvents");

            migrationBuilder.DropColumn(
                name: "SummaryKey",
                table: "DownloadEvents");
        }
    }
}
