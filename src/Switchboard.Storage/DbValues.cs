using System.Data.Common;
using System.Globalization;

namespace Switchboard.Storage;

/// <summary>
/// Reads columns the same way on both backends (SQLite hands back Int64 for every INTEGER column, PostgreSQL Int32
/// or Int64 by declared type).
/// </summary>
internal static class DbValues
{
    public static long Long(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
    public static long? NullableLong(DbDataReader r, int i) => r.IsDBNull(i) ? null : Long(r, i);
    public static int? NullableInt(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);
    public static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    public static double Double(DbDataReader r, int i) => Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);
    public static double? NullableDouble(DbDataReader r, int i) => r.IsDBNull(i) ? null : Double(r, i);
    public static bool Bool(DbDataReader r, int i) => Long(r, i) != 0;
    public static DateTimeOffset Time(DbDataReader r, int i) => DateTimeOffset.FromUnixTimeMilliseconds(Long(r, i));
    public static DateTimeOffset? NullableTime(DbDataReader r, int i) => r.IsDBNull(i) ? null : Time(r, i);
    public static long? Ms(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();
}
