using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace EntitlementPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DatabaseLocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DatabaseLocks",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TimesTaken = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DatabaseLocks", x => x.Name);
                });

            migrationBuilder.InsertData(
                table: "DatabaseLocks",
                columns: new[] { "Name", "TimesTaken" },
                values: new object[,]
                {
                    { "first-administrator", 0L },
                    { "package-blobs-0", 0L },
                    { "package-blobs-1", 0L },
                    { "package-blobs-2", 0L },
                    { "package-blobs-3", 0L },
                    { "package-blobs-4", 0L },
                    { "package-blobs-5", 0L },
                    { "package-blobs-6", 0L },
                    { "package-blobs-7", 0L },
                    { "package-blobs-8", 0L },
                    { "package-blobs-9", 0L },
                    { "package-blobs-a", 0L },
                    { "package-blobs-b", 0L },
                    { "package-blobs-c", 0L },
                    { "package-blobs-d", 0L },
                    { "package-blobs-e", 0L },
                    { "package-blobs-f", 0L },
                    { "plan-allowance", 0L }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DatabaseLocks");
        }
    }
}
