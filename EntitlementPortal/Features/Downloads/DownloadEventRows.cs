using System.Data.Common;
using System.Text;
using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// Inserts download events as parameterised multi-row INSERTs over the context's connection, inside its current
/// transaction: at tens of thousands of events a second, EF's change tracking and per-row statements cost more CPU
/// than the rows themselves. Table, columns and parameters come from the EF model (names, converters such as the
/// stored AuthMethod text and UTC timestamps, provider types), so it writes exactly what SaveChanges would, on
/// SQLite and SQL Server. The ids are left to the database and not read back: nothing reads a stored event's id.
/// Each statement is prepared once per batch and run for every chunk of rows with new values.
/// </summary>
internal static class DownloadEventRows
{
    public static async Task InsertAsync(AppDbContext db, IReadOnlyList<DownloadEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Download events are inserted inside the caller's transaction.");
        }
        var columns = Columns(db);
        var rowsPerStatement = RowsPerStatement(db);
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < events.Count; start += rowsPerStatement)
            {
                var rows = Math.Min(rowsPerStatement, events.Count - start);
                var command = rows == rowsPerStatement ? full ??= Command(db, columns, rows) : Command(db, columns, rows);
                Bind(command, columns, events, start, rows);
                await command.ExecuteNonQueryAsync(cancellationToken);
                if (command != full)
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    /// <summary>The statement that inserts exactly <paramref name="events"/>, bound, for the caller to run or read.</summary>
    internal static DbCommand StatementFor(AppDbContext db, IReadOnlyList<DownloadEvent> events)
    {
        var columns = Columns(db);
        var command = Command(db, columns, events.Count);
        Bind(command, columns, events, 0, events.Count);
        return command;
    }

    internal static int MaxRowsPerStatement(AppDbContext db) => RowsPerStatement(db);

    /// <summary>
    /// SQLite runs in the process and binds each parameter by a linear search of the statement's names, so a wide
    /// statement costs time quadratic in its parameters: one row a statement, prepared once, is cheapest there. On
    /// SQL Server each statement is a round trip: 100 rows of 17 columns stay under its 2,100 parameters.
    /// </summary>
    private static int RowsPerStatement(AppDbContext db) => db.Database.IsSqlite() ? 1 : 100;

    /// <summary>Every mapped column but the database-generated key.</summary>
    private static List<(IProperty Property, RelationalTypeMapping Mapping)> Columns(AppDbContext db) =>
        db.Model.FindEntityType(typeof(DownloadEvent))!.GetProperties()
            .Where(p => !p.IsPrimaryKey())
            .Select(p => (p, (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToList();

    private static DbCommand Command(AppDbContext db, List<(IProperty Property, RelationalTypeMapping Mapping)> columns, int rows)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var entity = db.Model.FindEntityType(typeof(DownloadEvent))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (db.Database.GetCommandTimeout() is { } timeout)
        {
            command.CommandTimeout = timeout;
        }
        var text = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" (")
            .AppendJoin(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))
            .Append(") VALUES ");
        for (var row = 0; row < rows; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns.Count; column++)
            {
                var (property, mapping) = columns[column];
                var name = sql.GenerateParameterName("p" + (row * columns.Count + column));
                text.Append(column == 0 ? "" : ", ").Append(name);
                // The type mapping sets the provider's type and size (datetime2, nvarchar(64)) once; Bind sets values.
                command.Parameters.Add(mapping.CreateParameter(command, name, value: null, property.IsNullable));
            }
            text.Append(')');
        }
        command.CommandText = text.ToString();
        return command;
    }

    private static void Bind(DbCommand command, List<(IProperty Property, RelationalTypeMapping Mapping)> columns,
        IReadOnlyList<DownloadEvent> events, int start, int rows)
    {
        for (var row = 0; row < rows; row++)
        {
            var downloadEvent = events[start + row];
            for (var column = 0; column < columns.Count; column++)
            {
                var (property, mapping) = columns[column];
                var value = property.GetGetter().GetClrValueUsingContainingEntity(downloadEvent);
                // The stored form, as SaveChanges writes it: enum names as text, timestamps as UTC.
                command.Parameters[row * columns.Count + column].Value =
                    (mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;
            }
        }
    }
}
