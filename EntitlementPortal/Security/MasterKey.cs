using System.Security.Cryptography;
using EntitlementPortal.Hosting;

namespace EntitlementPortal.Security;

/// <summary>
/// The one secret that is NOT in the database: it encrypts the Data Protection key ring stored there and
/// derives the key of the token look-up digests. A database dump without it reveals no token and no key.
/// From <c>Secrets:MasterKey</c> (base64, 32 bytes; set it identically on every instance), or else from a
/// key file created on first start beside the database.
/// </summary>
public sealed class MasterKey
{
    public const string ConfigurationKey = "Secrets:MasterKey";
    public const string FileName = "master.key";
    private const int KeyBytes = 32;

    private readonly byte[] key;

    private MasterKey(byte[] key, string source)
    {
        this.key = key;
        Source = source;
    }

    /// <summary>Where the key came from (configuration or a file path), for the start-up log. Never the key.</summary>
    public string Source { get; }

    public static MasterKey Load(IConfiguration configuration, string dataDirectory)
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new MasterKey(Decode(configured.Trim(), ConfigurationKey), "configuration");
        }
        var path = Path.Combine(dataDirectory, FileName);
        return new MasterKey(LoadOrCreateFile(path), path);
    }

    /// <summary>A sub-key for one purpose; the master key itself never leaves this class.</summary>
    public byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, KeyBytes, salt: [], info: System.Text.Encoding.UTF8.GetBytes(purpose));

    public static string NewKeyText() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    private static byte[] LoadOrCreateFile(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                return Decode(File.ReadAllText(path).Trim(), path);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var text = NewKeyText();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(path, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
            }
            return Convert.FromBase64String(text);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance created it between our check and our write: use theirs.
            return Decode(File.ReadAllText(path).Trim(), path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupFailedException($"cannot read or create the master key file '{path}': {ex.Message}", ex);
        }
    }

    private static byte[] Decode(string text, string source)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new StartupFailedException($"the master key in {source} is not base64; expected 32 random bytes in base64.");
        }
        if (bytes.Length != KeyBytes)
        {
            throw new StartupFailedException($"the master key in {source} is {bytes.Length} bytes; expected {KeyBytes}.");
        }
        return bytes;
    }
}
