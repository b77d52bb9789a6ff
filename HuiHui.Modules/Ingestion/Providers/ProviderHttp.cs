using System.Net;
using HuiHui.Modules.Ingestion.Validation;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HuiHui.Modules.Ingestion.Providers;

/// <summary>
/// Sends a provider request through its resilient <see cref="HttpClient"/> and turns every way it can fail into
/// <see cref="ProviderUnavailableException"/> (could not get an answer) or <see cref="ProviderPayloadException"/>
/// (got an answer that is not a payload), so callers handle two exception types, not ten.
/// </summary>
internal static class ProviderHttp
{
    public static async Task<byte[]> GetBytesAsync(HttpClient http, string provider, HttpRequestMessage request, Action<HttpResponseMessage>? inspect, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException error)
        {
            throw new ProviderUnavailableException(provider, "circuit open after repeated failures; the next trial request comes after the break", error);
        }
        catch (TimeoutRejectedException error)
        {
            throw new ProviderUnavailableException(provider, $"timed out after {error.Timeout.TotalSeconds:0.#} s", error);
        }
        catch (HttpRequestException error)
        {
            throw new ProviderUnavailableException(provider, $"request failed: {error.Message}", error);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderUnavailableException(provider, "timed out", error);
        }

        using (response)
        {
            inspect?.Invoke(response);
            if (!response.IsSuccessStatusCode)
            {
                var hint = response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " (check the API token in configuration)",
                    HttpStatusCode.TooManyRequests => " (rate limited; retries exhausted)",
                    _ => "",
                };
                throw new ProviderUnavailableException(provider, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {request.RequestUri?.AbsolutePath}{hint}");
            }

            byte[] body;
            try
            {
                body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is HttpRequestException or IOException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new ProviderUnavailableException(provider, $"response body cut off: {error.Message}", error);
            }

            if (body.Length == 0)
            {
                throw new ProviderPayloadException(provider, "$", $"empty response body from {request.RequestUri?.AbsolutePath}");
            }

            Recording.PayloadRecorder.Capture(request.RequestUri, body);
            return body;
        }
    }
}
