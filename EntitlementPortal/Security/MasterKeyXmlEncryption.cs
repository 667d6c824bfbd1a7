using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace EntitlementPortal.Security;

/// <summary>
/// Encrypts each Data Protection key (AES-256-GCM under a sub-key of the <see cref="MasterKey"/>) before it
/// is stored in the database, so the DataProtectionKeys table holds only ciphertext.
/// </summary>
public sealed class MasterKeyXmlEncryptor(MasterKey masterKey) : IXmlEncryptor
{
    internal const string Purpose = "EntitlementPortal.DataProtectionKeyRing.v1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(masterKey.Derive(Purpose), TagBytes))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }
        CryptographicOperations.ZeroMemory(plaintext);

        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with the portal's master key (Secrets:MasterKey or App_Data/master.key). "),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

/// <summary>Created by Data Protection through its activator (hence the IServiceProvider constructor).</summary>
public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var masterKey = services.GetRequiredService<MasterKey>();
        var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
        var ciphertext = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(masterKey.Derive(MasterKeyXmlEncryptor.Purpose), tag.Length);
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new CryptographicException(
                "A Data Protection key in the database was encrypted with a different master key. "
                + "Restore the master key that belongs to this database.", ex);
        }
        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
    }
}
