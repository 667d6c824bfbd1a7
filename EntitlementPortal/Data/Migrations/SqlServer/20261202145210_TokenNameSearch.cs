using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.SqlServer
{
    /// <summary>
    /// Token search: on SQLite this migration adds FTS5 trigram indexes of token and customer names. SQL Server keeps
    /// the substring search (LIKE); its full-text search matches words, not substrings, so it would not give the same
    /// results. The migration exists so both providers have the same migrations in the same order.
    /// </summary>
    public partial class TokenNameSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
