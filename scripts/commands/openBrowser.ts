import { spawn } from 'node:child_process';

/**
 * The command that opens a URL in the default browser, or `undefined` when there is no desktop session to open it
 * in (a server, an SSH session, CI): Linux needs DISPLAY or WAYLAND_DISPLAY; macOS and Windows always have one.
 */
export function browserCommand(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): { command: string; args: string[] } | undefined {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return { command: 'xdg-open', args: [url] };
}

/** Opens the URL in the default browser when a desktop session exists; `false` when it did not try or could not. */
export function openBrowser(url: string): boolean {
  const command = browserCommand(url, process.platform, process.env);
  if (!command) return false;
  try {
    const child = spawn(command.command, command.args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
