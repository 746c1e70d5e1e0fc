<?php
// CLI's standard stream constants, which php-cgi lacks.
if (!defined('STDIN')) {
    define('STDIN', fopen('/dev/stdin', 'r'));
    define('STDOUT', fopen('/dev/stdout', 'w'));
    define('STDERR', fopen('/dev/stderr', 'w'));
}
// php://stdin, php://stdout and php://stderr as /dev/*: php-cgi opens them with dup(), which WASI lacks.
final class __RunnoPhpStreams
{
    public $context;
    private $handle;
    private const DEVICES = ['stdin' => '/dev/stdin', 'stdout' => '/dev/stdout', 'stderr' => '/dev/stderr'];

    public function stream_open(string $path, string $mode, int $options, ?string &$opened): bool
    {
        $name = strtolower(substr($path, strlen('php://')));
        if (isset(self::DEVICES[$name])) {
            $this->handle = fopen(self::DEVICES[$name], $mode);
        } else {
            stream_wrapper_restore('php');
            try {
                $this->handle = $this->context ? fopen($path, $mode, false, $this->context) : fopen($path, $mode);
            } finally {
                stream_wrapper_unregister('php');
                stream_wrapper_register('php', self::class);
            }
        }
        return $this->handle !== false;
    }
    public function stream_read(int $count) { return fread($this->handle, $count); }
    public function stream_write(string $data) { return fwrite($this->handle, $data); }
    public function stream_eof(): bool { return feof($this->handle); }
    public function stream_close(): void { fclose($this->handle); }
    public function stream_flush(): bool { return fflush($this->handle); }
    public function stream_tell() { return ftell($this->handle); }
    public function stream_seek(int $offset, int $whence): bool { return fseek($this->handle, $offset, $whence) === 0; }
    public function stream_stat() { return fstat($this->handle); }
    public function stream_truncate(int $size): bool { return ftruncate($this->handle, $size); }
    public function stream_set_option(int $option, int $arg1, ?int $arg2): bool { return false; }
}
stream_wrapper_unregister('php');
stream_wrapper_register('php', __RunnoPhpStreams::class);
