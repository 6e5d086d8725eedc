using System.Diagnostics;
using System.Security.Cryptography;
using Suite.Meetings.Media.Srtp;
using Xunit.Abstractions;

namespace Suite.Meetings.Media.Tests.Robustness;

/// <summary>
/// Feeds random and mutated datagrams through the whole receive-side packet layer (see
/// <see cref="ReceivePathDriver"/>). Asserts: no exception, no mutated SRTP/SRTCP packet ever authenticates, the
/// valid paths were really exercised, and the loop allocates next to nothing. Reproduce a run by setting
/// SUITE_MEDIA_FUZZ_SEED to the seed it prints (and that failure messages carry).
/// </summary>
public sealed class ReceivePathFuzzTests(ITestOutputHelper output)
{
    public const string SeedVariable = "SUITE_MEDIA_FUZZ_SEED";

    private const int Iterations = 120_000;
    private const int WarmUpIterations = 3_000;

    /// <summary>Less than 3 bytes per datagram: any per-packet allocation on a common path breaks it.</summary>
    private const long AllocationBudgetBytes = 256 * 1024;

    [Fact]
    public void Fixed_seed_run_survives_and_stays_allocation_free() => Run(20240611);

    [Fact]
    public void Environment_seed_run_survives_and_stays_allocation_free()
    {
        string? configured = Environment.GetEnvironmentVariable(SeedVariable);
        int seed = int.TryParse(configured, out int parsed) ? parsed : RandomNumberGenerator.GetInt32(int.MaxValue);
        Run(seed);
    }

    private void Run(int seed)
    {
        output.WriteLine($"{SeedVariable}={seed}");
        byte[] cmKey = RandomBytes(new Random(seed), 16);
        byte[] gcmKey = RandomBytes(new Random(seed + 1), 16);
        using SrtpContext cmSender = SrtpContext.Create(SrtpProfile.AesCm128HmacSha1_80, cmKey, new byte[14]);
        using SrtpContext gcmSender = SrtpContext.Create(SrtpProfile.AeadAes128Gcm, gcmKey, new byte[12]);
        using SrtpContext cmReceiver = SrtpContext.Create(SrtpProfile.AesCm128HmacSha1_80, cmKey, new byte[14]);
        using SrtpContext gcmReceiver = SrtpContext.Create(SrtpProfile.AeadAes128Gcm, gcmKey, new byte[12]);
        DatagramCorpus corpus = DatagramCorpus.Build(cmSender, gcmSender, protectedPerProfile: 2_500);
        using var driver = new ReceivePathDriver(cmReceiver, gcmReceiver);
        var mutator = new DatagramMutator(new Random(seed), corpus);

        RunIterations(driver, mutator, WarmUpIterations, seed, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        RunIterations(driver, mutator, Iterations, seed, out long forgedAccepted);
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine(
            $"{Iterations} datagrams in {clock.ElapsedMilliseconds} ms, {allocated} bytes allocated; " +
            $"STUN parsed/rejected/answered {driver.StunParsed}/{driver.StunRejected}/{driver.StunAnswered}; " +
            $"RTP parsed/rejected {driver.RtpParsed}/{driver.RtpRejected}; RTCP packets {driver.RtcpPacketsWalked}, " +
            $"compounds rejected {driver.RtcpCompoundRejected}, feedback decoded {driver.FeedbackDecoded}; " +
            $"SRTP accepted/rejected {driver.SrtpAccepted}/{driver.SrtpRejected}; other dropped {driver.OtherDropped}");

        string context = $"{SeedVariable}={seed}";
        Assert.True(forgedAccepted == 0, $"{forgedAccepted} mutated SRTP/SRTCP packets authenticated ({context})");
        Assert.True(allocated < AllocationBudgetBytes, $"{allocated} bytes allocated for {Iterations} datagrams ({context})");
        Assert.True(driver.StunAnswered > 0 && driver.StunRejected > 0, $"STUN paths not both exercised ({context})");
        Assert.True(driver.RtpParsed > 0 && driver.RtpRejected > 0, $"RTP paths not both exercised ({context})");
        Assert.True(driver.RtcpPacketsWalked > 0 && driver.RtcpCompoundRejected > 0 && driver.FeedbackDecoded > 0, $"RTCP paths not exercised ({context})");
        Assert.True(driver.SrtpAccepted > 0 && driver.SrtpRejected > 0, $"SRTP paths not both exercised ({context})");
        Assert.True(driver.OtherDropped > 0, $"no unknown or DTLS datagrams generated ({context})");
    }

    private static void RunIterations(ReceivePathDriver driver, DatagramMutator mutator, int count, int seed, out long forgedAccepted)
    {
        forgedAccepted = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> datagram = mutator.Next(out bool mutatedProtected);
            DriverResult result;
            try
            {
                result = driver.Feed(datagram);
            }
            catch (Exception exception)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{SeedVariable}={seed}, iteration {i}, datagram {Convert.ToHexString(datagram)}: {exception}");
            }

            if (mutatedProtected && (result.SrtpAccepted || result.SrtcpAccepted))
            {
                forgedAccepted++;
            }
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
