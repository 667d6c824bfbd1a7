using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Customers;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.ToTable("Customers");
        customer.Property(c => c.Name).HasMaxLength(CustomerRules.NameMaxLength);
        customer.Property(c => c.Email).HasMaxLength(CustomerRules.EmailMaxLength);
        customer.Property(c => c.Company).HasMaxLength(CustomerRules.NameMaxLength);
        customer.Property(c => c.ExternalRef).HasMaxLength(CustomerRules.ReferenceMaxLength);
        customer.Property(c => c.LicenseKey).HasMaxLength(CustomerRules.ReferenceMaxLength);
        customer.Property(c => c.Plan).HasMaxLength(CustomerRules.ReferenceMaxLength);
        customer.Property(c => c.Notes).HasMaxLength(CustomerRules.NotesMaxLength);
        customer.Property(c => c.MetadataJson).HasMaxLength(JsonMetadata.MaxLength);
        customer.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        // The billing system finds its customers by its own id: one customer per reference.
        customer.HasIndex(c => c.ExternalRef).IsUnique();
        customer.HasIndex(c => c.Name);
    }
}
