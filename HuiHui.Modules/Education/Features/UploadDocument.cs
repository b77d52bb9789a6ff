using FluentValidation;
using HuiHui.Modules.Education.Contracts;
using Mediator;
using Microsoft.Extensions.Options;

namespace HuiHui.Modules.Education.Features;

internal sealed class UploadDocumentValidator : AbstractValidator<UploadDocument>
{
    public UploadDocumentValidator(IOptions<EducationOptions> options)
    {
        RuleFor(c => c.FileName).NotEmpty().MaximumLength(200)
            .Must(name => Path.GetFileName(name) == name && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && !name.StartsWith('.'))
            .WithMessage("must be a plain file name (no folders, no leading dot)");
        RuleFor(c => c.Content).NotNull().Must(c => c.Length > 0).WithMessage("the file is empty")
            .Must(c => c is null || c.LongLength <= options.Value.MaxFileBytes).WithMessage($"larger than the {options.Value.MaxFileBytes / (1024 * 1024)} MiB limit (HuiHui:Education:MaxFileBytes)");
    }
}

/// <summary>
/// Writes the upload beside the corpus (a new name when one exists with other content), ingests it, and deletes it
/// again when the corpus refuses it, so the recurring job does not trip over it every night.
/// </summary>
internal sealed class UploadDocumentHandler(IMediator mediator, IOptions<EducationOptions> options) : ICommandHandler<UploadDocument, IngestedFile>
{
    public async ValueTask<IngestedFile> Handle(UploadDocument command, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Value.UploadFolder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, command.FileName);
        var existed = File.Exists(path);
        if (existed && !(await File.ReadAllBytesAsync(path, cancellationToken)).AsSpan().SequenceEqual(command.Content))
        {
            path = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(command.FileName)}-{DateTime.UtcNow:yyyyMMddHHmmss}{Path.GetExtension(command.FileName)}");
            existed = false;
        }

        await File.WriteAllBytesAsync(path, command.Content, cancellationToken);
        var report = await mediator.Send(new IngestDocuments([path], command.Tags), cancellationToken);
        var file = report.Files.Single();
        if (file.Outcome == "skipped" && !existed)
        {
            File.Delete(path);
        }

        return file;
    }
}
