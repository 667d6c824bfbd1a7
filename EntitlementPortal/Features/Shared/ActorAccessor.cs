using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace EntitlementPortal.Features.Shared;

/// <summary>
/// The actor behind an interactive page: the circuit's signed-in user, and the client address captured
/// when the circuit connected (HttpContext is not available to components once the circuit runs).
/// </summary>
public sealed class ActorAccessor(AuthenticationStateProvider authentication)
{
    internal string? ClientIp { get; set; }

    public async Task<Actor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return new Actor(state.User, ClientIp);
    }
}

/// <summary>Copies the connecting client's address into the circuit's <see cref="ActorAccessor"/>.</summary>
internal sealed class ClientAddressCircuitHandler(IHttpContextAccessor httpContext, ActorAccessor actors) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The hub request has passed the forwarded-headers middleware, so this honours trusted proxies only.
        actors.ClientIp = httpContext.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? actors.ClientIp;
        return Task.CompletedTask;
    }
}
