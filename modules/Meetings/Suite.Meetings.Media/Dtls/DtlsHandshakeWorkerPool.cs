using System.Collections.Concurrent;

namespace Suite.Meetings.Media.Dtls;

/// <summary>
/// A fixed set of dedicated threads for DTLS handshakes, which block for their whole duration (BouncyCastle's API
/// is synchronous). The queue in front of them is bounded: when it is full a handshake is refused rather than
/// piling up, and the packet loop is never the one that waits.
/// </summary>
internal sealed class DtlsHandshakeWorkerPool : IDisposable
{
    private readonly BlockingCollection<Action> _jobs;
    private readonly Thread[] _workers;
    private long _jobFailures;

    public DtlsHandshakeWorkerPool(int workerCount = 2, int queueCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _jobs = new BlockingCollection<Action>(queueCapacity);
        _workers = new Thread[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            _workers[i] = new Thread(RunWorker) { IsBackground = true, Name = $"dtls-handshake-{i}" };
            _workers[i].Start();
        }
    }

    /// <summary>Jobs that threw (they should not: each handshake catches its own failures).</summary>
    public long JobFailures => Interlocked.Read(ref _jobFailures);

    /// <summary>Queues a job; false when the queue is full or the pool is shutting down.</summary>
    public bool TryQueue(Action job)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            return _jobs.TryAdd(job);
        }
        catch (InvalidOperationException)
        {
            return false; // adding completed: disposing
        }
    }

    /// <summary>Stops taking jobs and waits for the running ones; close the sessions first so that they end quickly.</summary>
    public void Dispose()
    {
        _jobs.CompleteAdding();
        foreach (Thread worker in _workers)
        {
            worker.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void RunWorker()
    {
        foreach (Action job in _jobs.GetConsumingEnumerable())
        {
            try
            {
                job();
            }
#pragma warning disable CA1031 // A worker must survive a faulty job; the job's owner reports its own failure.
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _jobFailures);
            }
        }
    }
}
