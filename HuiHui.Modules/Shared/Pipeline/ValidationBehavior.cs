using FluentValidation;
using HuiHui.Modules.Shared.Contracts;
using Mediator;

namespace HuiHui.Modules.Shared.Pipeline;

/// <summary>Runs every FluentValidation validator registered for the message; refuses it with all failures at once.</summary>
internal sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private readonly IValidator<TMessage>[] validators = [.. validators];

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (validators.Length == 0)
        {
            return await next(message, cancellationToken);
        }

        var failures = new List<ValidationFailureInfo>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            failures.AddRange(result.Errors.Select(e => new ValidationFailureInfo(e.PropertyName, e.ErrorMessage, e.AttemptedValue?.ToString())));
        }

        if (failures.Count > 0)
        {
            throw new RequestValidationException(typeof(TMessage).Name, failures);
        }

        return await next(message, cancellationToken);
    }
}
