/** Whether `text` mentions `name` as `@name` (case-insensitive, names may contain spaces). */
export function mentions(text: string, name: string): boolean {
  if (name.length === 0) return false
  return text.toLowerCase().includes('@' + name.toLowerCase())
}
