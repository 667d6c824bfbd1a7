using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TokenDailyUsageTokenIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyUsage_TokenId_Day_Downloads_Bytes",
                table: "TokenDailyUsage",
                columns: new[] { "TokenId", "Day", "Downloads", "Bytes" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TokenDailyUsage_TokenId_Day_Downloads_Bytes",
                table: "TokenDailyUsage");
        }
    }
}
