namespace Flowline;

/// <summary>Configuration of a step whose type is provided by a registered <see cref="StepExecutor"/>; read it through <see cref="StepConfig.Raw"/>.</summary>
public sealed record CustomStepConfig : StepConfig;
