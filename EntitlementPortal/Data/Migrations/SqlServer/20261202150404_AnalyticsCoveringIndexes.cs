using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AnalyticsCoveringIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_RepositoryId_Kind_IsDeleted_IsActive",
                table: "EntitlementTokens",
                columns: new[] { "RepositoryId", "Kind", "IsDeleted", "IsActive" });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_CustomerId_Counted_At_ClientIp",
                table: "DownloadEvents",
                columns: new[] { "CustomerId", "Counted", "At", "ClientIp" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EntitlementTokens_RepositoryId_Kind_IsDeleted_IsActive",
                table: "EntitlementTokens");

            migrationBuilder.DropIndex(
                name: "IX_DownloadEvents_CustomerId_Counted_At_ClientIp",
                table: "DownloadEvents");
        }
    }
}
