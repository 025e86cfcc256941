using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flowline.Execution.Slurm;

/// <summary>Source-generated JSON for <see cref="SlurmHandle"/> (no reflection; Native AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SlurmHandle))]
internal sealed partial class SlurmJsonContext : JsonSerializerContext;
