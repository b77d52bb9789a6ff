using Mediator;

namespace HuiHui.Modules.Learning.Contracts;

/// <summary>
/// Turn feature vectors whose horizon has passed (by the archived prices) into labelled examples: forward log return,
/// its direction (±1, 0 inside ±1 basis point) and whether each expert's direction was right. Idempotent.
/// </summary>
public sealed record GenerateLabels(TimeSpan Horizon) : ICommand<LabelReport>;

public sealed record LabelReport(int Considered, int Labelled, int WaitingForPrices);
