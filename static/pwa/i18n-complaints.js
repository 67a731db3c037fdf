// The words of the complaint screens (the inspector's complaint tasks and the desk's 投诉处置), part of the one
// catalogue in i18n.js. Loaded with those screens rather than precached with the inspector's shell; t() is unchanged.
import { addTexts } from './i18n.js';

const zh = {
  complaint_category_dust: '扬尘',
  complaint_category_muck_truck: '渣土车',
  complaint_category_night_noise: '夜间施工噪声',
  complaint_category_other: '其他',
  ctasks_title: '投诉任务',
  ctasks_counts: '投诉任务 {open} · 已超期 {overdue}',
  ctasks_count: '共 {n} 件待处置',
  ctasks_cached: '离线：显示 {time} 保存的任务。',
  ctasks_offline_none: '离线，且手机上还没有保存投诉任务。',
  ctasks_none: '没有待处置的投诉。',
  ctask_title: '投诉 {ticket}',
  ctask_missing: '找不到该投诉任务（可能已处置或不在您的辖区）。',
  ctask_due: '处置时限 {time}',
  ctask_overdue: '已超期：时限 {time}',
  ctask_due_label: '处置时限',
  ctask_channel: '来源渠道',
  ctask_category: '诉求类别',
  ctask_received: '受理时间',
  ctask_address: '地址',
  ctask_site: '匹配工地',
  ctask_start: '为此投诉开始巡查',
  ctask_started: '巡查将关联投诉 {ticket}',
  ctask_queued: '处置巡查已提交，等待发送',
};

const en = {
  complaint_category_dust: 'Dust',
  complaint_category_muck_truck: 'Muck truck',
  complaint_category_night_noise: 'Night-work noise',
  complaint_category_other: 'Other',
  ctasks_title: 'Complaint tasks',
  ctasks_counts: 'Complaint tasks {open} · overdue {overdue}',
  ctasks_count: '{n} to handle',
  ctasks_cached: 'Offline: tasks saved at {time}.',
  ctasks_offline_none: 'Offline, and no complaint tasks saved on this phone yet.',
  ctasks_none: 'No complaints to handle.',
  ctask_title: 'Complaint {ticket}',
  ctask_missing: 'This complaint task is not here (answered already, or not in your units).',
  ctask_due: 'Due {time}',
  ctask_overdue: 'Overdue: due {time}',
  ctask_due_label: 'Due',
  ctask_channel: 'Channel',
  ctask_category: 'Category',
  ctask_received: 'Received',
  ctask_address: 'Address',
  ctask_site: 'Matched site',
  ctask_start: 'Start inspection for this complaint',
  ctask_started: 'The inspection will be linked to complaint {ticket}',
  ctask_queued: 'Answering inspection submitted, waiting to send',
};

addTexts({ 'zh-CN': zh, en });
