using Xunit;

// Formatter registrations, preferred MIME types and NotebookSettings are process-wide: tests that set them must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
