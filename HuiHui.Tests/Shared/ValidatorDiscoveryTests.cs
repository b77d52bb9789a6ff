using FluentValidation;
using HuiHui.Modules.Shared;
using HuiHui.Modules.Shared.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Tests.Shared;

public sealed class ValidatorDiscoveryTests
{
    [Test]
    public void ValidatorsFoundByName_AreEveryValidatorAFullScanFinds()
    {
        var assembly = typeof(SharedModule).Assembly;
        var byName = ValidatorDiscovery.Find(assembly).Select(r => (r.InterfaceType, r.ValidatorType)).ToHashSet();
        var scanned = AssemblyScanner.FindValidatorsInAssembly(assembly, includeInternalTypes: true).Select(r => (r.InterfaceType, r.ValidatorType)).ToHashSet();

        Assert.That(scanned, Is.Not.Empty);
        Assert.That(byName, Is.EquivalentTo(scanned), "a validator whose type name does not end in 'Validator' is not registered: rename it");
    }

    [Test]
    public void Registrations_AreTheOnesFluentValidationMakes()
    {
        var assembly = typeof(SharedModule).Assembly;
        var ours = new ServiceCollection().AddValidatorsFrom(assembly);
        var theirs = new ServiceCollection().AddValidatorsFromAssembly(assembly, ServiceLifetime.Scoped, includeInternalTypes: true);

        Assert.That(ours.Select(d => (d.ServiceType, d.ImplementationType, d.Lifetime)), Is.EquivalentTo(theirs.Select(d => (d.ServiceType, d.ImplementationType, d.Lifetime))));
    }
}
