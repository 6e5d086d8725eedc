using Suite.Web;

return await SuiteHost.RunAsync(args, SuiteHost.Modules());

/// <summary>Exposed for tests that host the real application.</summary>
public sealed partial class Program;
