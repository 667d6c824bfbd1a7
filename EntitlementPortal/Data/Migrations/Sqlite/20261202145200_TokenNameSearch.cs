using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.Sqlite
{
    /// <summary>
    /// Token search on SQLite: FTS5 trigram indexes of token names and customer names, kept by triggers, so a search
    /// term of three characters or more finds its rows through the index instead of comparing every name. The model
    /// has no entity for them (EF cannot map virtual tables); the triggers belong to the tables they watch, so a later
    /// migration that rebuilds EntitlementTokens or Customers must create them again (a test checks they exist).
    /// </summary>
    public partial class TokenNameSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // External content: the names stay in their tables, the index holds only the trigrams.
            migrationBuilder.Sql("CREATE VIRTUAL TABLE \"TokenNameSearch\" USING fts5(\"Name\", content='EntitlementTokens', content_rowid='Id', tokenize='trigram');");
            migrationBuilder.Sql("CREATE VIRTUAL TABLE \"CustomerNameSearch\" USING fts5(\"Name\", content='Customers', content_rowid='Id', tokenize='trigram');");
            migrationBuilder.Sql("""
                CREATE TRIGGER "TokenNameSearch_Insert" AFTER INSERT ON "EntitlementTokens" BEGIN
                  INSERT INTO "TokenNameSearch" (rowid, "Name") VALUES (new."Id", new."Name");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TokenNameSearch_Delete" AFTER DELETE ON "EntitlementTokens" BEGIN
                  INSERT INTO "TokenNameSearch" ("TokenNameSearch", rowid, "Name") VALUES ('delete', old."Id", old."Name");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TokenNameSearch_Update" AFTER UPDATE OF "Name" ON "EntitlementTokens" BEGIN
                  INSERT INTO "TokenNameSearch" ("TokenNameSearch", rowid, "Name") VALUES ('delete', old."Id", old."Name");
                  INSERT INTO "TokenNameSearch" (rowid, "Name") VALUES (new."Id", new."Name");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CustomerNameSearch_Insert" AFTER INSERT ON "Customers" BEGIN
                  INSERT INTO "CustomerNameSearch" (rowid, "Name") VALUES (new."Id", new."Name");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CustomerNameSearch_Delete" AFTER DELETE ON "Customers" BEGIN
                  INSERT INTO "CustomerNameSearch" ("CustomerNameSearch", rowid, "Name") VALUES ('delete', old."Id", old."Name");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CustomerNameSearch_Update" AFTER UPDATE OF "Name" ON "Customers" BEGIN
                  INSERT INTO "CustomerNameSearch" ("CustomerNameSearch", rowid, "Name") VALUES ('delete', old."Id", old."Name");
                  INSERT INTO "CustomerNameSearch" (rowid, "Name") VALUES (new."Id", new."Name");
                END;
                """);
            // The names stored so far.
            migrationBuilder.Sql("INSERT INTO \"TokenNameSearch\" (\"TokenNameSearch\") VALUES ('rebuild');");
            migrationBuilder.Sql("INSERT INTO \"CustomerNameSearch\" (\"CustomerNameSearch\") VALUES ('rebuild');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "TokenNameSearch_Insert", "TokenNameSearch_Delete", "TokenNameSearch_Update",
                "CustomerNameSearch_Insert", "CustomerNameSearch_Delete", "CustomerNameSearch_Update" })
            {
                migrationBuilder.Sql($"DROP TRIGGER \"{trigger}\";");
            }
            migrationBuilder.Sql("DROP TABLE \"TokenNameSearch\";");
            migrationBuilder.Sql("DROP TABLE \"CustomerNameSearch\";");
        }
    }
}
