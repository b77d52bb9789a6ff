using System.Runtime.CompilerServices;
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
        await Validation.RequireValidAsync(validators, message, cancellationToken);
        return await next(message, cancellationToken);
    }
}

/// <summary>The same for streamed queries (a replay): refused before the first item.</summary>
internal sealed class StreamValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IStreamPipelineBehavior<TMessage, TResponse>
    where TMessage : IStreamMessage
{
    private readonly IValidator<TMessage>[] validators = [.. validators];

    public async IAsyncEnumerable<TResponse> Handle(TMessage message, StreamHandlerDelegate<TMessage, TResponse> next, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Validation.RequireValidAsync(validators, message, cancellationToken);
        await foreach (var item in next(message, cancellationToken).WithCancellation(cancellationToken))
        {
            yield return item;
        }
    }
}

internal static class Validation
{
    public static async ValueTask RequireValidAsync<TMessage>(IValidator<TMessage>[] validators, TMessage message, CancellationToken cancellationToken)
    {
        if (validators.Length == 0)
        {
            return;
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
    }
}
