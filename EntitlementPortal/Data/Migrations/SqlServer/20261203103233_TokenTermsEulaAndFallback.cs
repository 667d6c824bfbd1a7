using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TokenTermsEulaAndFallback : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Eula",
                table: "Repositories",
                type: "nvarchar(max)",
                maxLength: 50000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AfterExpiry",
                table: "EntitlementTokens",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Refuse");

            migrationBuilder.AddColumn<DateTime>(
                name: "EulaAcceptedAt",
                table: "EntitlementTokens",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EulaAcceptedFrom",
                table: "EntitlementTokens",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "EulaRequired",
                table: "EntitlementTokens",
                type: "bit",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Eula",
                table: "Repositories");

            migrationBuilder.DropColumn(
                name: "AfterExpiry",
                table: "EntitlementTokens");

            migrationBuilder.DropColumn(
                name: "EulaAcceptedAt",
                table: "EntitlementTokens");

            migrationBuilder.DropColumn(
                name: "EulaAcceptedFrom",
                table: "EntitlementTokens");

            migrationBuilder.DropColumn(
                name: "EulaRequired",
                table: "EntitlementTokens");
        }
    }
}
