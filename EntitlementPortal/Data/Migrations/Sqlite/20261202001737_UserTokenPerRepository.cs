using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UserTokenPerRepository : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EntitlementTokens_RepositoryId_UserId",
                table: "EntitlementTokens");

            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_RepositoryId_UserId",
                table: "EntitlementTokens",
                columns: new[] { "RepositoryId", "UserId" },
                unique: true,
                filter: "[Kind] = 'User'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EntitlementTokens_RepositoryId_UserId",
                table: "EntitlementTokens");

            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_RepositoryId_UserId",
                table: "EntitlementTokens",
                columns: new[] { "RepositoryId", "UserId" },
                unique: true);
        }
    }
}
