using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EntitlementPortal.Data;

/// <summary>
/// Makes <c>EF.Functions.Like</c> case-insensitive on PostgreSQL, as it already is on SQLite (ASCII) and on SQL
/// Server's default collation, by rewriting it to <c>ILIKE</c> before the query is compiled. The searches keep one
/// spelling for every provider (<see cref="Features.Shared.TextSearch"/>) and behave alike on all three.
/// </summary>
internal sealed class CaseInsensitiveLike : IQueryExpressionInterceptor
{
    public static CaseInsensitiveLike Instance { get; } = new();

    private static readonly MethodInfo Like = typeof(DbFunctionsExtensions).GetMethod(
        nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    private static readonly MethodInfo LikeWithoutEscape = typeof(DbFunctionsExtensions).GetMethod(
        nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string)])!;

    private static readonly MethodInfo ILike = typeof(NpgsqlDbFunctionsExtensions).GetMethod(
        nameof(NpgsqlDbFunctionsExtensions.ILike), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    private static readonly MethodInfo ILikeWithoutEscape = typeof(NpgsqlDbFunctionsExtensions).GetMethod(
        nameof(NpgsqlDbFunctionsExtensions.ILike), [typeof(DbFunctions), typeof(string), typeof(string)])!;

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData) =>
        new Rewriter().Visit(queryExpression);

    private sealed class Rewriter : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            var visited = (MethodCallExpression)base.VisitMethodCall(node);
            if (visited.Method == Like)
            {
                return Expression.Call(ILike, visited.Arguments);
            }
            return visited.Method == LikeWithoutEscape ? Expression.Call(ILikeWithoutEscape, visited.Arguments) : visited;
        }
    }
}
