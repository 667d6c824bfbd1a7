using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DownloadsAndUsage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DownloadEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Repo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Package = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Filename = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: true),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    AuthMethod = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ClientIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DownloadEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TokenClients",
                columns: table => new
                {
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClientIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FirstSeenAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenClients", x => new { x.TokenId, x.ClientIp });
                    table.ForeignKey(
                        name: "FK_TokenClients_EntitlementTokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "EntitlementTokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TokenFileDownloads",
                columns: table => new
                {
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClientIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FileKey = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    CountedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenFileDownloads", x => new { x.TokenId, x.ClientIp, x.FileKey });
                    table.ForeignKey(
                        name: "FK_TokenFileDownloads_EntitlementTokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "EntitlementTokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_At",
                table: "DownloadEvents",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_CustomerId_At",
                table: "DownloadEvents",
                columns: new[] { "CustomerId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_Repo_At",
                table: "DownloadEvents",
                columns: new[] { "Repo", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadEvents_TokenId_At",
                table: "DownloadEvents",
                columns: new[] { "TokenId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DownloadEvents");

            migrationBuilder.DropTable(
                name: "TokenClients");

            migrationBuilder.DropTable(
                name: "TokenFileDownloads");
        }
    }
}
