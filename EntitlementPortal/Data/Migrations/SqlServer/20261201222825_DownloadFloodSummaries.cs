using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.SqlServer
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
                type: "int",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "SummaryKey",
                table: "DownloadEvents",
                type: "nvarchar(96)",
                maxLength: 96,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_SummaryKey",
                table: "DownloadEvents",
                column: "SummaryKey",
                unique: true,
                filter: "[SummaryKey] IS NOT NULL");
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
