import './help.css';
