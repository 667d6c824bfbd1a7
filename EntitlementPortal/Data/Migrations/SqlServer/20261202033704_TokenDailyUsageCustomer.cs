using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TokenDailyUsageCustomer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CustomerId",
                table: "TokenDailyUsage",
                type: "int",
                nullable: true);

            // Days stored before the column existed: the token's customer now is the best answer left.
            migrationBuilder.Sql(
                "UPDATE TokenDailyUsage SET CustomerId = (SELECT t.CustomerId FROM EntitlementTokens t WHERE t.Id = TokenDailyUsage.TokenId);");

            migrationBuilder.CreateIndex(
                name: "IX_TokenDailyUsage_CustomerId_Day_Downloads_Bytes",
                table: "TokenDailyUsage",
                columns: new[] { "CustomerId", "Day", "Downloads", "Bytes" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TokenDailyUsage_CustomerId_Day_Downloads_Bytes",
                table: "TokenDailyUsage");

            migrationBuilder.DropColumn(
                name: "CustomerId",
                table: "TokenDailyUsage");
        }
    }
}
