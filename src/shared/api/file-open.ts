/**
 * Files the desktop app will not open with a click, only show in their folder: opening them
 * runs them (programs, scripts, installers, shortcuts, disk images). A member could send one
 * named like a photo; Signal Desktop and Element draw the same line.
 */
const RUNS_WHEN_OPENED = new Set(
  `
  apk app appimage application appref-ms bash bat cmd com command cpl csh deb desktop dll
  dmg exe gadget hta inf ins iso jar jnlp js jse ksh lnk msc msi msix msp mst pif pkg ps1
  psm1 py pyw rb reg rpm run scf scr sct settingcontent-ms sh shb so terminal tool url vb
  vbe vbs vhd vhdx webloc workflow ws wsc wsf wsh xbap xll zsh
`
    .trim()
    .split(/\s+/)
)

/** True when opening the file would run it: offer "Show in folder" only. */
export function runsWhenOpened(name: string): boolean {
  // Windows ignores trailing dots and spaces: "x.exe. " is an .exe
  const trimmed = name.replace(/[. ]+$/, '').toLowerCase()
  const dot = trimmed.lastIndexOf('.')
  return dot === -1 ? false : RUNS_WHEN_OPENED.has(trimmed.slice(dot + 1))
}
