using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EntitlementTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EntitlementTokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RepositoryId = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: true),
                    UserId = table.Column<string>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SecretDigest = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    SecretCiphertext = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    SecretHint = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    IsCustomSecret = table.Column<bool>(type: "INTEGER", nullable: false),
                    PreviousSecretDigest = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: true),
                    PreviousSecretValidUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsDeleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LimitDateFrom = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LimitDateTo = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LimitDownloads = table.Column<long>(type: "INTEGER", nullable: true),
                    LimitClients = table.Column<int>(type: "INTEGER", nullable: true),
                    LimitBandwidthBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    LimitPackageQuery = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AllowedCidrs = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ResetPeriod = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    NextResetAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    MetadataJson = table.Column<string>(type: "TEXT", maxLength: 16384, nullable: true),
                    Downloads = table.Column<long>(type: "INTEGER", nullable: false),
                    Clients = table.Column<int>(type: "INTEGER", nullable: false),
                    BandwidthBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    LastDownloadAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastClientIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RefreshedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RefreshedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntitlementTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EntitlementTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EntitlementTokens_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_EntitlementTokens_Repositories_RepositoryId",
                        column: x => x.RepositoryId,
                        principalTable: "Repositories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_CustomerId",
                table: "EntitlementTokens",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_IsActive_IsDeleted_Kind",
                table: "EntitlementTokens",
                columns: new[] { "IsActive", "IsDeleted", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_NextResetAt",
                table: "EntitlementTokens",
                column: "NextResetAt");

            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_PreviousSecretDigest",
                table: "EntitlementTokens",
                column: "PreviousSecretDigest");

            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_RepositoryId_SecretDigest",
                table: "EntitlementTokens",
                columns: new[] { "RepositoryId", "SecretDigest" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_RepositoryId_UserId",
                table: "EntitlementTokens",
                columns: new[] { "RepositoryId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_SecretDigest",
                table: "EntitlementTokens",
                column: "SecretDigest");

            migrationBuilder.CreateIndex(
                name: "IX_EntitlementTokens_UserId",
                table: "EntitlementTokens",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EntitlementTokens");
        }
    }
}
