# Groups perf report lines ("  12.34%  DSO  [.] symbol") into components: kernel, runtime, libc, crypto, and JIT code
# by the assembly of the method (the first "[Assembly] " followed by a space, which is the declaring assembly).
/^ *[0-9.]+%/ {
  pct = $1; sub(/%/, "", pct)
  if ($0 ~ /\[k\]/) group = "kernel (TCP/IP loopback, syscalls, scheduler)"
  else if ($0 ~ /libcoreclr|libclrjit/) group = "CLR runtime native (GC, allocation helpers, stubs, JIT)"
  else if ($0 ~ /libc\.so|ld-linux|vdso|libSystem\.Native/) group = "libc and syscall wrappers"
  else if ($0 ~ /libcrypto|Cryptography/) group = "OpenSSL (SHA-256 of the API key)"
  else if ($0 ~ /\[JIT\]/) {
    line = $0
    sub(/.*\[\.\] /, "", line)
    if (line ~ /^stub /) { group = "JIT stubs (dispatch, write barriers)" }
    else if (match(line, /\[[A-Za-z0-9_.]+\] /)) {
      asm = substr(line, RSTART + 1, RLENGTH - 3)
      if (asm ~ /^Switchboard/) group = "managed: Switchboard"
      else if (asm ~ /Kestrel/) group = "managed: Kestrel"
      else if (asm ~ /^Microsoft\.AspNetCore/) group = "managed: ASP.NET Core hosting/routing/http"
      else if (asm ~ /^System\.Net\.Http/) group = "managed: HttpClient (System.Net.Http)"
      else if (asm ~ /^System\.Net\.Sockets/) group = "managed: System.Net.Sockets"
      else if (asm ~ /^System\.Text\.Json/) group = "managed: System.Text.Json"
      else if (asm ~ /^System\.Private\.CoreLib/) group = "managed: CoreLib (async, thread pool, collections)"
      else if (asm ~ /^System\.IO\.Pipelines/) group = "managed: System.IO.Pipelines"
      else group = "managed: other (" asm ")"
    } else group = "managed: unresolved"
  } else group = "other"
  sum[group] += pct
}
END { for (g in sum) printf "%6.1f%%  %s\n", sum[g], g }
