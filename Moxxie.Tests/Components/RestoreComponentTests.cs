using Moxxie.Web.Components.Pages.Restore;
using Xunit;

namespace Moxxie.Tests.Components;

public sealed class RestoreComponentTests
{
    [Theory]
    [InlineData("volid", 0)]
    [InlineData("vmId", 1)]
    [InlineData("node", 1)]
    [InlineData("storage", 2)]
    [InlineData("bridges.net1", 2)]
    [InlineData("confirm", 4)]
    public void Wizard_SendsAFieldErrorBackToTheStepThatOwnsTheField(string field, int step) =>
        Assert.Equal(step, RestoreWizardPage.StepOf(field));
}
