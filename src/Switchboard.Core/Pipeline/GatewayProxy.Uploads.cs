using Microsoft.AspNetCore.Http;
using Switchboard.Auth;
using Switchboard.Http.Multipart;
using Switchboard.Limits;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>Multipart operations (<see cref="OpenAIRequestHead.Kind.Upload"/>: audio transcriptions and translations).</summary>
public sealed partial class GatewayProxy
{
    /// <summary>
    /// After authentication: reads the form (files spooled, bounded by <c>server.max_upload_size</c>), takes
    /// <c>model</c> and <c>stream</c> from its fields wherever they are, then admits, routes and records as for JSON
    /// operations; each attempt sends the form again with the deployment's model. The spooled files are deleted when
    /// the request ends.
    /// </summary>
    private async Task HandleUploadAsync(HttpContext context, ProxyOperation operation, GatewayRuntime runtime, ClientIdentity identity,
        string requestId, long startedAt)
    {
        var (form, readError) = await MultipartFormReader.ReadAsync(context.Request, runtime.Config.Server.MaxUploadSize, context.RequestAborted);
        if (form is null)
        {
            await FinishWithErrorAsync(context, operation, readError!, Record(requestId, operation, identity, "", startedAt));
            return;
        }
        using (form)
        {
            var modelName = form.Field("model") ?? "";
            if ((form.Require("model") ?? form.Require(operation.RequiredParts)) is { } missing)
            {
                await FinishWithErrorAsync(context, operation, missing, Record(requestId, operation, identity, modelName, startedAt));
                return;
            }
            if (!identity.MayUse(modelName) || !runtime.TryResolveModel(identity, modelName, out var model))
            {
                await FinishWithErrorAsync(context, operation, ModelNotFoundHint.For(runtime, identity, modelName), Record(requestId, operation, identity, modelName, startedAt));
                return;
            }
            var head = new OpenAIRequestHead { Model = modelName, Stream = form.Field("stream") is "true" or "True" };
            // The prompt of an upload is audio: nothing for the tokenizer to count before the upstream reports usage.
            var admission = await admissionControl.AdmitAsync(new AdmissionRequest(identity, model, 0, null) { Metering = operation.Metering },
                context.RequestAborted);
            foreach (var (name, value) in admission.Headers) context.Response.Headers[name] = value;
            if (admission.Rejection is { } rejection)
            {
                await FinishWithErrorAsync(context, operation, rejection, Record(requestId, operation, identity, modelName, startedAt));
                return;
            }
            admission.Observe(context);
            UsageRecord final;
            RoutedDeployment? servedBy;
            using var noBody = new Http.PooledBuffer(0);
            try
            {
                (final, servedBy) = await RouteAsync(new RouteRequest(context, operation, identity, requestId, startedAt, Form: form), runtime, model, head, noBody);
            }
            catch (Exception ex)
            {
                SettleCrash(context, admission, Record(requestId, operation, identity, modelName, startedAt) with { Stream = head.Stream }, ex);
                throw;
            }
            usageSink.Record(admission.Settle(final, servedBy));
        }
    }
}
