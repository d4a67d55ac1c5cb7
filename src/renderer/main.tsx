import { createRoot } from 'react-dom/client'
import { Root } from './screens/Root'
import { applyTheme, loadTheme } from './util/theme'
import './styles/theme.css'
import './styles/base.css'
import './styles/layout.css'
import './styles/sidebar.css'
import './styles/room.css'
import './styles/timeline.css'
import './styles/dialog.css'
import './styles/files.css'

applyTheme(loadTheme())

const container = document.getElementById('root')
if (container === null) throw new Error('index.html has no #root')
createRoot(container).render(<Root />)
