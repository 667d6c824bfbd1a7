namespace EntitlementPortal.Features.Downloads;

/// <summary>Who sends a package file's bytes once the portal has decided and counted the download.</summary>
public enum DownloadOffload
{
    /// <summary>The portal streams the file itself.</summary>
    None,

    /// <summary>nginx sends the file from an internal location named in X-Accel-Redirect.</summary>
    XAccelRedirect,

    /// <summary>The client is sent to a short-lived pre-signed URL of the object store.</summary>
    Redirect,
}
