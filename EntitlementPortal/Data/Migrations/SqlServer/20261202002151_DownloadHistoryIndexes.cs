using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.SqlServer
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
                type: "bit",
                nullable: false,
                defaultValue: false);

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
