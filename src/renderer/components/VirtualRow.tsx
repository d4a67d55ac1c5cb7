import { useLayoutEffect, useRef, type ReactNode } from 'react'

export interface VirtualRowProps {
  rowKey: string
  /** Its place in the list as rendered: a hint for finding its height again. */
  index: number
  top: number
  observer: ResizeObserver
  /** The row's height as first laid out, before paint. */
  onMeasure: (key: string, index: number, height: number) => void
  children: ReactNode
}

/** One positioned row of a VirtualList; reports its height now and whenever it changes. */
export function VirtualRow({ rowKey, index, top, observer, onMeasure, children }: VirtualRowProps) {
  const ref = useRef<HTMLDivElement>(null)
  useLayoutEffect(() => {
    const element = ref.current
    if (element === null) return
    onMeasure(rowKey, index, element.offsetHeight)
    observer.observe(element)
    return () => observer.unobserve(element)
    // measured once on mount; later changes arrive through the observer
  }, [observer, rowKey])
  return (
    <div ref={ref} className="vlist-row" data-key={rowKey} data-index={index} style={{ top }}>
      {children}
    </div>
  )
}
