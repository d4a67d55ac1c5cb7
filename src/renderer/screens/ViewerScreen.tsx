import { transferText } from '../components/FileCard'
import { ImageViewer } from '../components/ImageViewer'
import { viewerImages } from '../state/file-actions'
import { useActions, useAppState } from '../state/hooks'
import { isInlineImageType, safeThumbnail, shownFileName } from '../util/file-kind'

/** The image viewer, when one is open: the full image once downloaded, else its preview. */
export function ViewerScreen() {
  const viewer = useAppState((s) => s.viewer)
  const messages = useAppState((s) => (viewer === null ? null : s.timelines[viewer.room]?.messages))
  const transfer = useAppState((s) =>
    viewer === null ? undefined : s.transfers[viewer.room]?.[viewer.id]
  )
  const url = useAppState((s) =>
    viewer === null ? undefined : s.fileUrls[`${viewer.room}/${viewer.id}`]
  )
  const sent = useAppState((s) =>
    viewer === null ? undefined : s.sentImages[`${viewer.room}/${viewer.id}`]
  )
  const actions = useActions()
  if (viewer === null || messages == null) return null
  const images = viewerImages(messages)
  const index = images.findIndex((m) => m.id === viewer.id)
  const file = images[index]?.file
  if (index === -1 || file == null) return null
  const full = isInlineImageType(file.type) ? (url ?? sent ?? null) : null
  const src = full ?? safeThumbnail(file.thumbnail)
  if (src === null) return null
  return (
    <ImageViewer
      name={shownFileName(file.name)}
      src={src}
      full={full !== null}
      status={transferText(transfer ?? null, url ?? null)}
      position={index + 1}
      count={images.length}
      onStep={actions.stepViewer}
      onClose={actions.closeViewer}
    />
  )
}
