using Microsoft.Extensions.Configuration;
using Quartz;
using Suite.Kernel.Jobs;

namespace Suite.Platform.Jobs;

/// <summary>Back-off for failed runs: exponential from "Suite:Jobs:RetryDelay" (default 30 s), doubling, at most
/// 30 minutes apart, scattered ±20% so that runs which failed together do not come back together.</summary>
internal sealed class JobRetry(IConfiguration configuration)
{
    private readonly TimeSpan _firstDelay = configuration.GetValue("Suite:Jobs:RetryDelay", TimeSpan.FromSeconds(30));

    public RetryPolicy PolicyFor(JobDefinition definition) => definition.MaxAttempts <= 1
        ? RetryPolicy.None
        : RetryPolicy.Exponential(definition.MaxAttempts - 1, _firstDelay, 2.0, TimeSpan.FromMinutes(30), 0.2);
}
