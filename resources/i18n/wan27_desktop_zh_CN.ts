<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Wan 2.7 Desktop</source>
        <translation>关于 Wan 2.7 Desktop</translation>
    </message>
    <message>
        <source>Application icon</source>
        <translation>应用图标</translation>
    </message>
    <message>
        <source>Wan 2.7 Desktop</source>
        <translation>Wan 2.7 Desktop</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>构建</translation>
    </message>
    <message>
        <source>A desktop client for Alibaba Cloud Model Studio&apos;s Wan 2.7 image generation and editing API.</source>
        <translation>阿里云百炼 Wan 2.7 图像生成与编辑 API 的桌面客户端。</translation>
    </message>
    <message>
        <source>Components and versions</source>
        <translation>组件及版本</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Wan 2.7 Desktop is released under the MIT licence. It uses Qt and PySide6 under the GNU Lesser General Public License v3 (LGPLv3); Qt is kept as separate shared libraries, which you may replace with your own build. Other components are listed with their licences in the third-party notices.</source>
        <translation>Wan 2.7 Desktop 以 MIT 许可证发布。它依据 GNU 宽通用公共许可证第 3 版（LGPLv3）使用 Qt 和 PySide6；Qt 以独立的共享库形式提供，你可以替换为自己构建的版本。其他组件及其许可证见第三方声明。</translation>
    </message>
    <message>
        <source>&amp;LGPL 3.0</source>
        <translation>&amp;LGPL 3.0</translation>
    </message>
    <message>
        <source>Open the GNU LGPL 3.0 licence text</source>
        <translation>打开 GNU LGPL 3.0 许可证全文</translation>
    </message>
    <message>
        <source>&amp;GPL 3.0</source>
        <translation>&amp;GPL 3.0</translation>
    </message>
    <message>
        <source>Open the GNU GPL 3.0 licence text</source>
        <translation>打开 GNU GPL 3.0 许可证全文</translation>
    </message>
    <message>
        <source>Third-party &amp;notices</source>
        <translation>第三方声明(&amp;N)</translation>
    </message>
    <message>
        <source>Open the third-party notices</source>
        <translation>打开第三方声明</translation>
    </message>
    <message>
        <source>&amp;Copy diagnostic info</source>
        <translation>复制诊断信息(&amp;C)</translation>
    </message>
    <message>
        <source>Copy diagnostic info</source>
        <translation>复制诊断信息</translation>
    </message>
    <message>
        <source>Copies versions, platform, paths and recent errors for a bug report. It never contains your API key.</source>
        <translation>复制版本、平台、路径和最近的错误，用于提交问题报告。其中绝不包含你的 API 密钥。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>%1 with local changes</source>
        <translation>%1（含本地修改）</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Commit unknown, built %1</source>
        <translation>提交未知，构建于 %1</translation>
    </message>
    <message>
        <source>Commit %1, built %2</source>
        <translation>提交 %1，构建于 %2</translation>
    </message>
    <message>
        <source>Source checkout, commit %1</source>
        <translation>源代码检出，提交 %1</translation>
    </message>
    <message>
        <source>Installed package (commit unknown)</source>
        <translation>已安装的软件包（提交未知）</translation>
    </message>
    <message>
        <source>The file %1 is missing from this installation.</source>
        <translation>此安装中缺少文件 %1。</translation>
    </message>
    <message>
        <source>Could not open %1; you can find it in that folder.</source>
        <translation>无法打开 %1；你可以在该文件夹中找到它。</translation>
    </message>
    <message>
        <source>Diagnostic info copied to the clipboard.</source>
        <translation>诊断信息已复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>ApiText</name>
    <message>
        <source>Singapore (International)</source>
        <translation>新加坡（国际站）</translation>
    </message>
    <message>
        <source>China (Beijing)</source>
        <translation>北京（中国内地）</translation>
    </message>
    <message>
        <source>Text to image</source>
        <translation>文生图</translation>
    </message>
    <message>
        <source>Text to image set</source>
        <translation>文生组图</translation>
    </message>
    <message>
        <source>Edit / multi-reference</source>
        <translation>图像编辑 / 多图参考</translation>
    </message>
    <message>
        <source>Image to image set</source>
        <translation>图生组图</translation>
    </message>
    <message>
        <source>Thinking mode applies only to text-to-image; it is ignored when reference images are used.</source>
        <translation>思考模式仅适用于文生图；使用参考图时会被忽略。</translation>
    </message>
    <message>
        <source>Thinking mode does not apply to image sets.</source>
        <translation>思考模式不适用于组图。</translation>
    </message>
</context>
<context>
    <name>AppStatusBar</name>
    <message>
        <source>Key: environment</source>
        <translation>密钥：环境变量</translation>
    </message>
    <message>
        <source>The key comes from the DASHSCOPE_API_KEY environment variable (used in place of the keyring, never saved).</source>
        <translation>密钥来自环境变量 DASHSCOPE_API_KEY（代替系统密钥环使用，不会保存）。</translation>
    </message>
    <message>
        <source>Key: keyring</source>
        <translation>密钥：系统密钥环</translation>
    </message>
    <message>
        <source>The key is stored in the system keyring.</source>
        <translation>密钥保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>Key: this session</source>
        <translation>密钥：仅本次会话</translation>
    </message>
    <message>
        <source>The key is kept for this session only and forgotten when the app quits.</source>
        <translation>密钥仅在本次会话中保留，退出应用后即被清除。</translation>
    </message>
    <message>
        <source>No key</source>
        <translation>无密钥</translation>
    </message>
    <message>
        <source>No API key yet: you will be asked for one when you generate.</source>
        <translation>尚未设置 API 密钥：生成时会提示你输入。</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>API key source</source>
        <translation>API 密钥来源</translation>
    </message>
    <message>
        <source>Spend today</source>
        <translation>今日花费</translation>
    </message>
    <message>
        <source>Connectivity</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <source>Region: {region}</source>
        <translation>地域：{region}</translation>
    </message>
    <message>
        <source>Requests go to {region}.</source>
        <translation>请求发送到{region}。</translation>
    </message>
    <message>
        <source>Region: {region} · {host}</source>
        <translation>区域：{region} · {host}</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>No request or key check has reached the service in this session yet. The library works offline.</source>
        <translation>本次会话中尚无请求或密钥检查到达服务。图库可离线使用。</translation>
    </message>
    <message>
        <source>Requests go to the custom endpoint {endpoint} with the {region} key.</source>
        <translation>请求使用{region}的密钥发送到自定义接入地址 {endpoint}。</translation>
    </message>
    <message>
        <source>Key: checking…</source>
        <translation>密钥：正在检查…</translation>
    </message>
    <message>
        <source>Looking the key up in the environment and the system keyring.</source>
        <translation>正在环境变量和系统密钥环中查找密钥。</translation>
    </message>
    <message>
        <source>Today: –</source>
        <translation>今日：–</translation>
    </message>
    <message>
        <source>Today&apos;s spend, from the local ledger (still loading).</source>
        <translation>今日花费，来自本地账本（仍在加载）。</translation>
    </message>
    <message>
        <source>Today: {amount}</source>
        <translation>今日：{amount}</translation>
    </message>
    <message>
        <source>What today&apos;s jobs cost, from the local ledger (billed images × price).</source>
        <translation>今日任务的花费，来自本地账本（计费图片数 × 单价）。</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <source>The last request reached the service.</source>
        <translation>上一个请求已送达服务端。</translation>
    </message>
    <message>
        <source>● Offline</source>
        <translation>● 离线</translation>
    </message>
    <message>
        <source>The last request could not reach the service. The library still works offline.</source>
        <translation>上一个请求未能连接到服务端。图库仍可离线使用。</translation>
    </message>
</context>
<context>
    <name>BatchBar</name>
    <message>
        <source>Batch shown</source>
        <translation>显示的批量任务</translation>
    </message>
    <message>
        <source>E&amp;xport Batch…</source>
        <translation>导出批量任务(&amp;X)…</translation>
    </message>
    <message>
        <source>Export the batch&apos;s images and CSV</source>
        <translation>导出批量任务的图片和 CSV</translation>
    </message>
    <message>
        <source>Every row&apos;s images in row order, and a CSV of prompts, parameters, costs and ids</source>
        <translation>按行顺序导出每一行的图片，以及包含提示词、参数、费用和 ID 的 CSV</translation>
    </message>
    <message>
        <source>Batch &amp;Window</source>
        <translation>批量任务窗口(&amp;W)</translation>
    </message>
    <message>
        <source>Open the batch&apos;s window</source>
        <translation>打开批量任务窗口</translation>
    </message>
    <message>
        <source>Progress, pause and resume, cancel and the matrix grid</source>
        <translation>进度、暂停与继续、取消以及矩阵网格图</translation>
    </message>
    <message>
        <source>Batch #{id}</source>
        <translation>批量任务 #{id}</translation>
    </message>
    <message numerus="yes">
        <source>Batch #{id} “{name}”: %n row(s), {done} done · spent {spent}</source>
        <translation>
            <numerusform>批量任务 #{id}“{name}”：%n 行，完成 {done} · 已花费 {spent}</numerusform>
        </translation>
    </message>
    <message>
        <source>up to {left} still to come</source>
        <translation>最多还将花费 {left}</translation>
    </message>
    <message>
        <source>Batch #{id} is no longer in the library.</source>
        <translation>批量任务 #{id} 已不在图库中。</translation>
    </message>
</context>
<context>
    <name>BatchKind</name>
    <message>
        <source>each image</source>
        <translation>逐张图片</translation>
    </message>
    <message>
        <source>list</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>matrix</source>
        <translation>矩阵</translation>
    </message>
</context>
<context>
    <name>BatchListDialog</name>
    <message>
        <source>Batches</source>
        <translation>批量任务</translation>
    </message>
    <message>
        <source>No batches yet: Jobs ▸ New Batch… makes one.</source>
        <translation>还没有批量任务：任务 ▸ 新建批量…即可创建。</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Spent</source>
        <translation>花费</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Open the selected batch</source>
        <translation>打开选中的批量任务</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
</context>
<context>
    <name>BatchUi</name>
    <message>
        <source>Starting the batch…</source>
        <translation>正在启动批量任务…</translation>
    </message>
    <message>
        <source>Showing the images of batch {batch}. View ▸ Show All Images to go back.</source>
        <translation>正在显示批量任务 {batch} 的图片。视图 ▸ 显示全部图片可返回。</translation>
    </message>
</context>
<context>
    <name>BatchWindow</name>
    <message>
        <source>Batch %1</source>
        <translation>批量任务 %1</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批量任务</translation>
    </message>
    <message>
        <source>Batch progress</source>
        <translation>批量任务进度</translation>
    </message>
    <message>
        <source>Rows by state</source>
        <translation>各状态的行数</translation>
    </message>
    <message>
        <source>Spend and time left</source>
        <translation>花费与剩余时间</translation>
    </message>
    <message>
        <source>Batch notice</source>
        <translation>批量任务提示</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Batch rows</source>
        <translation>批量任务的行</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause the batch</source>
        <translation>暂停批量任务</translation>
    </message>
    <message>
        <source>Cancel &amp;Batch…</source>
        <translation>取消批量任务(&amp;B)…</translation>
    </message>
    <message>
        <source>Cancel the batch</source>
        <translation>取消批量任务</translation>
    </message>
    <message>
        <source>Show in &amp;Gallery</source>
        <translation>在图库中显示(&amp;G)</translation>
    </message>
    <message>
        <source>Show the batch&apos;s images</source>
        <translation>显示批量任务的图片</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Export the batch&apos;s images and CSV</source>
        <translation>导出批量任务的图片和 CSV</translation>
    </message>
    <message>
        <source>G&amp;rid…</source>
        <translation>网格图(&amp;R)…</translation>
    </message>
    <message>
        <source>Save the matrix as a labelled grid</source>
        <translation>把矩阵保存为带标签的网格图</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close this window</source>
        <translation>关闭此窗口</translation>
    </message>
    <message>
        <source>Rate-limited by the service: every row waits, retrying in {seconds} s.</source>
        <translation>服务限流：所有行都在等待，{seconds} 秒后重试。</translation>
    </message>
    <message>
        <source>Batch {id}: {name}</source>
        <translation>批量任务 {id}：{name}</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>interrupted, may have been billed</source>
        <translation>已中断，可能已计费</translation>
    </message>
    <message>
        <source>partly done</source>
        <translation>部分完成</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>answer lost</source>
        <translation>应答丢失</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Done {done} · Running {running} · Queued {queued} · Failed {failed} · Canceled {canceled}</source>
        <translation>完成 {done} · 运行中 {running} · 排队 {queued} · 失败 {failed} · 已取消 {canceled}</translation>
    </message>
    <message>
        <source>Paused {paused} (answer lost)</source>
        <translation>已暂停 {paused}（应答丢失）</translation>
    </message>
    <message>
        <source>Spent {spent} so far</source>
        <translation>目前已花费 {spent}</translation>
    </message>
    <message>
        <source>up to {left} still to come</source>
        <translation>最多还将花费 {left}</translation>
    </message>
    <message>
        <source>about {time} left</source>
        <translation>约剩 {time}</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>Resume the batch</source>
        <translation>继续批量任务</translation>
    </message>
    <message>
        <source>Cancel the batch?</source>
        <translation>取消批量任务？</translation>
    </message>
    <message>
        <source>Rows not yet sent are not sent (nothing billed); tasks still waiting at the service are canceled there. Tasks already running will be billed, so they finish and their images are kept.</source>
        <translation>尚未发送的行不再发送（不计费）；仍在服务端排队的任务会在服务端取消。已在运行的任务会计费，因此会继续完成并保留其图片。</translation>
    </message>
    <message>
        <source>Cancel Batch</source>
        <translation>取消批量任务</translation>
    </message>
    <message>
        <source>Export the batch to</source>
        <translation>导出批量任务到</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) and {csv} written to {folder}</source>
        <translation>
            <numerusform>已将 %n 张图片和 {csv} 写入 {folder}</numerusform>
        </translation>
    </message>
    <message>
        <source>Save the grid as</source>
        <translation>网格图另存为</translation>
    </message>
    <message>
        <source>PNG (*.png)</source>
        <translation>PNG (*.png)</translation>
    </message>
    <message>
        <source>Drawing the grid…</source>
        <translation>正在绘制网格图…</translation>
    </message>
    <message>
        <source>Grid saved: {path}</source>
        <translation>网格图已保存：{path}</translation>
    </message>
</context>
<context>
    <name>BoxCanvas</name>
    <message>
        <source>Region box canvas</source>
        <translation>区域框画布</translation>
    </message>
    <message>
        <source>Drag to draw a box; drag a box to move it; drag its edges to resize; Delete removes the selected box; arrow keys nudge it.</source>
        <translation>拖动绘制区域框；拖动区域框可移动；拖动边缘可调整大小；Delete 删除选中的框；方向键微调位置。</translation>
    </message>
    <message>
        <source>Loading preview…</source>
        <translation>正在加载预览…</translation>
    </message>
    <message>
        <source>At most {count} boxes per image: select one and press Delete to draw another.</source>
        <translation>每张图最多 {count} 个区域框：选中一个并按 Delete 删除后再画新的。</translation>
    </message>
</context>
<context>
    <name>BoxEditor</name>
    <message>
        <source>Box {number}: ({x1}, {y1}) → ({x2}, {y2}) · {width} × {height} px</source>
        <translation>框 {number}：({x1}, {y1}) → ({x2}, {y2}) · {width} × {height} px</translation>
    </message>
    <message>
        <source>Region box editor</source>
        <translation>区域框编辑器</translation>
    </message>
    <message>
        <source>Region boxes — {title}</source>
        <translation>区域框 — {title}</translation>
    </message>
    <message>
        <source>Region boxes</source>
        <translation>区域框</translation>
    </message>
    <message>
        <source>Drag on the image to draw up to {count} boxes for the region to edit. Drag a box to move it, its edges or corners to resize; Delete removes the selected box.</source>
        <translation>在图上拖动，最多画 {count} 个框，标出要编辑的区域。拖动框可移动，拖动边缘或角可调整大小；Delete 删除选中的框。</translation>
    </message>
    <message>
        <source>Image: {width} × {height} px (coordinates are in these pixels)</source>
        <translation>图片：{width} × {height} px（坐标以此像素为单位）</translation>
    </message>
    <message>
        <source>Box coordinates</source>
        <translation>区域框坐标</translation>
    </message>
    <message>
        <source>Box editor message</source>
        <translation>区域框编辑器提示</translation>
    </message>
    <message>
        <source>Delete box</source>
        <translation>删除框</translation>
    </message>
    <message>
        <source>Delete selected box</source>
        <translation>删除选中的框</translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation>全部清除</translation>
    </message>
    <message>
        <source>Delete all boxes</source>
        <translation>删除所有框</translation>
    </message>
    <message>
        <source>No boxes: the whole image may be edited.</source>
        <translation>没有区域框：整张图都可能被编辑。</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Compare images</source>
        <translation>对比图片</translation>
    </message>
</context>
<context>
    <name>CompareWindow</name>
    <message>
        <source>Compare — Wan 2.7</source>
        <translation>对比 — Wan 2.7</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>并排</translation>
    </message>
    <message>
        <source>Split slider</source>
        <translation>分割滑块</translation>
    </message>
    <message>
        <source>Split position</source>
        <translation>分割位置</translation>
    </message>
    <message>
        <source> · seed {seed}</source>
        <translation> · 种子 {seed}</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation>出错了</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>出错了。</translation>
    </message>
    <message>
        <source>Your images and jobs are safe — everything is saved as it happens. You can keep working; if this happens again, please copy the diagnostic info into a bug report.</source>
        <translation>你的图片和任务都是安全的——所有内容都会即时保存。你可以继续工作；如果再次出现，请把诊断信息复制到问题报告中。</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>发生了什么</translation>
    </message>
    <message>
        <source>Error summary</source>
        <translation>错误摘要</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详情</translation>
    </message>
    <message>
        <source>Show technical details</source>
        <translation>显示技术详情</translation>
    </message>
    <message>
        <source>Technical details</source>
        <translation>技术详情</translation>
    </message>
    <message>
        <source>&amp;Copy diagnostic info</source>
        <translation>复制诊断信息(&amp;C)</translation>
    </message>
    <message>
        <source>Copy diagnostic info</source>
        <translation>复制诊断信息</translation>
    </message>
    <message>
        <source>Copies versions, paths and this error for a bug report. It never contains your API key.</source>
        <translation>复制版本、路径和此错误，用于提交问题报告。其中绝不包含你的 API 密钥。</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Quit the app</source>
        <translation>退出应用</translation>
    </message>
    <message>
        <source>C&amp;ontinue</source>
        <translation>继续(&amp;O)</translation>
    </message>
    <message>
        <source>Continue working</source>
        <translation>继续工作</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) so far; the latest: %1</source>
        <translation>
            <numerusform>目前共 %n 个问题；最新的：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>隐藏详情</translation>
    </message>
    <message>
        <source>Diagnostic info copied to the clipboard.</source>
        <translation>诊断信息已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Could not open %1.</source>
        <translation>无法打开 %1。</translation>
    </message>
</context>
<context>
    <name>DateRangeDialog</name>
    <message>
        <source>from {day}</source>
        <translation>{day} 起</translation>
    </message>
    <message>
        <source>until {day}</source>
        <translation>至 {day}</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>任意时间</translation>
    </message>
    <message>
        <source>Custom date range</source>
        <translation>自定义日期范围</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>起始日</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>结束日</translation>
    </message>
    <message>
        <source>Show these days</source>
        <translation>显示这些日期</translation>
    </message>
    <message>
        <source>Show images made from the first day to the last day, both included.</source>
        <translation>显示从起始日到结束日（含两端）生成的图片。</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s).</source>
        <translation>
            <numerusform>共 %n 天。</numerusform>
        </translation>
    </message>
    <message>
        <source>The first day ({start}) is after the last day ({end}). Pick a first day on or before the last day.</source>
        <translation>起始日（{start}）晚于结束日（{end}）。请选择不晚于结束日的起始日。</translation>
    </message>
</context>
<context>
    <name>DropContent</name>
    <message>
        <source>{name} is a folder</source>
        <translation>{name} 是文件夹</translation>
    </message>
    <message>
        <source>{scheme}: links are not supported</source>
        <translation>不支持 {scheme}: 链接</translation>
    </message>
</context>
<context>
    <name>GalleryFilters</name>
    <message>
        <source>Newest first</source>
        <translation>最新优先</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>最早优先</translation>
    </message>
    <message>
        <source>Highest rated</source>
        <translation>评分最高</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>任意时间</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>最近一年</translation>
    </message>
    <message>
        <source>Search prompts</source>
        <translation>搜索提示词</translation>
    </message>
    <message>
        <source>Search prompts…</source>
        <translation>搜索提示词…</translation>
    </message>
    <message>
        <source>Sort order</source>
        <translation>排序方式</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Favourites, rating, model, mode, dates, references, image sets, batches</source>
        <translation>收藏、评分、模型、模式、日期、参考图、组图、批量任务</translation>
    </message>
    <message>
        <source>♥ Favourites only</source>
        <translation>♥ 仅显示收藏</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Any rating</source>
        <translation>任意评分</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Any model</source>
        <translation>任意模型</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Any mode</source>
        <translation>任意模式</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Custom range…</source>
        <translation>自定义范围…</translation>
    </message>
    <message>
        <source>References</source>
        <translation>参考图</translation>
    </message>
    <message>
        <source>With or without references</source>
        <translation>有无参考图均可</translation>
    </message>
    <message>
        <source>With references</source>
        <translation>有参考图</translation>
    </message>
    <message>
        <source>Without references</source>
        <translation>无参考图</translation>
    </message>
    <message>
        <source>Image sets</source>
        <translation>组图</translation>
    </message>
    <message>
        <source>Sets and single images</source>
        <translation>组图和单张图片</translation>
    </message>
    <message>
        <source>Image sets only</source>
        <translation>仅组图</translation>
    </message>
    <message>
        <source>Single images only</source>
        <translation>仅单张图片</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批量任务</translation>
    </message>
    <message>
        <source>Filter by batch</source>
        <translation>按批量任务筛选</translation>
    </message>
    <message>
        <source>Stack image sets</source>
        <translation>叠放组图</translation>
    </message>
    <message>
        <source>Show each image set as one tile with a count badge; click the badge (or press + / −) to open or close it. The trash always shows every image.</source>
        <translation>每组图片显示为一个带数量标记的图块；点击标记（或按 + / −）展开或收起。回收站始终显示所有图片。</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Thumbnail size</source>
        <translation>缩略图大小</translation>
    </message>
    <message>
        <source>Click ✕ to remove a filter</source>
        <translation>点击 ✕ 移除筛选条件</translation>
    </message>
    <message>
        <source>♥ Favourites</source>
        <translation>♥ 收藏</translation>
    </message>
    <message>
        <source>#{id}</source>
        <translation>#{id}</translation>
    </message>
    <message>
        <source>{menu}: {choice}</source>
        <translation>{menu}：{choice}</translation>
    </message>
    <message numerus="yes">
        <source>Filters (%n)</source>
        <translation>
            <numerusform>筛选（%n）</numerusform>
        </translation>
    </message>
    <message>
        <source>Custom range: {range}…</source>
        <translation>自定义范围：{range}…</translation>
    </message>
    <message>
        <source>Remove this filter</source>
        <translation>移除此筛选条件</translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation>全部清除</translation>
    </message>
    <message>
        <source>Filtered by:</source>
        <translation>筛选条件：</translation>
    </message>
    <message>
        <source>Row order</source>
        <translation>按行顺序</translation>
    </message>
    <message>
        <source>Each row of the batch in turn, as it was listed</source>
        <translation>按批量任务中各行列出的顺序依次显示</translation>
    </message>
    <message>
        <source>{name} (#{id})</source>
        <translation>{name}（#{id}）</translation>
    </message>
    <message numerus="yes">
        <source>#{id} {name} — {kind}, %n row(s), {date}</source>
        <translation>
            <numerusform>#{id} {name} — {kind}，%n 行，{date}</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading batches…</source>
        <translation>正在读取批量任务…</translation>
    </message>
    <message>
        <source>No batches yet</source>
        <translation>还没有批量任务</translation>
    </message>
    <message>
        <source>Any batch</source>
        <translation>任意批量任务</translation>
    </message>
    <message>
        <source>Older batches: Jobs ▸ Batches…</source>
        <translation>更早的批量任务：任务 ▸ 批量任务…</translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message>
        <source>Image {position} of a set of {size}. Click the set badge or press − to collapse the set.</source>
        <translation>组图中的第 {position} 张，共 {size} 张。点击组图标记或按 − 收起。</translation>
    </message>
    <message numerus="yes">
        <source>A set of %n image(s), stacked. Click the badge or press + to show them all.</source>
        <translation>
            <numerusform>一组 %n 张图片（已叠放）。点击标记或按 + 展开全部。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GalleryPanel</name>
    <message>
        <source>Restore selected</source>
        <translation>恢复所选</translation>
    </message>
    <message>
        <source>Empty trash…</source>
        <translation>清空回收站…</translation>
    </message>
    <message>
        <source>Trash: images here can be restored until you empty it.</source>
        <translation>回收站：在清空之前，这里的图片都可以恢复。</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>回收站</translation>
    </message>
    <message>
        <source>Show trash</source>
        <translation>显示回收站</translation>
    </message>
    <message>
        <source>Show the trash (images you deleted, until you empty it)</source>
        <translation>显示回收站（你删除的图片会保留到清空为止）</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>The gallery changed while your selection was read, so nothing was done. Select again.</source>
        <translation>读取所选内容时图库发生了变化，因此未执行任何操作。请重新选择。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation>
            <numerusform>%Ln 张图片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Shown as %Ln tile(s): each image set is one stack</source>
        <translation>
            <numerusform>显示为 %Ln 个图块：每组图片叠放为一个</numerusform>
        </translation>
    </message>
    <message>
        <source>No images in the trash match this search or these filters.</source>
        <translation>回收站中没有符合此搜索或筛选条件的图片。</translation>
    </message>
    <message>
        <source>No images match this search or these filters.</source>
        <translation>没有符合此搜索或筛选条件的图片。</translation>
    </message>
    <message>
        <source>Try other words, or clear the filters to see every image.</source>
        <translation>换个关键词试试，或清除筛选以查看所有图片。</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Trash is empty</source>
        <translation>回收站是空的</translation>
    </message>
    <message>
        <source>Images you delete (Del) wait here until you empty the trash; Ctrl+Z undoes a delete.</source>
        <translation>删除（Del）的图片会留在这里，直到清空回收站；按 Ctrl+Z 可撤销删除。</translation>
    </message>
    <message>
        <source>This job has no images in the library yet.</source>
        <translation>此任务在图库中还没有图片。</translation>
    </message>
    <message>
        <source>View ▸ Show all images goes back to the whole library.</source>
        <translation>“视图 ▸ 显示所有图片”可返回整个图库。</translation>
    </message>
    <message>
        <source>This batch has no images in the library yet.</source>
        <translation>这个批量任务在图库中还没有图片。</translation>
    </message>
    <message>
        <source>Show all images</source>
        <translation>显示所有图片</translation>
    </message>
    <message>
        <source>No images yet. Write a prompt on the left and press Ctrl+Enter — results land here.</source>
        <translation>还没有图片。在左侧写下提示词并按 Ctrl+Enter——结果会出现在这里。</translation>
    </message>
    <message>
        <source>Your library lives on this computer, in {path}</source>
        <translation>你的图库保存在这台电脑上：{path}</translation>
    </message>
    <message>
        <source>Export the batch to</source>
        <translation>导出批量任务到</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) and {csv} written to {folder}</source>
        <translation>
            <numerusform>已将 %n 张图片和 {csv} 写入 {folder}</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting batch {batch}…</source>
        <translation>正在导出批量任务 {batch}…</translation>
    </message>
    <message numerus="yes">
        <source>Closed a set of %n image(s)</source>
        <translation>
            <numerusform>已收起一组 %n 张图片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened a set of %n image(s); press − or click its badge to close it.</source>
        <translation>
            <numerusform>已展开一组 %n 张图片；按 − 或点击其标记可收起。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rated %n image(s) {stars}</source>
        <translation>
            <numerusform>已将 %n 张图片评为 {stars}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cleared the rating of %n image(s)</source>
        <translation>
            <numerusform>已清除 %n 张图片的评分</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Marked %n image(s) as favourite</source>
        <translation>
            <numerusform>已收藏 %n 张图片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %n image(s) from favourites</source>
        <translation>
            <numerusform>已取消收藏 %n 张图片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %n image(s) to the trash</source>
        <translation>
            <numerusform>已将 %n 张图片移到回收站</numerusform>
        </translation>
    </message>
    <message>
        <source>{action} — Ctrl+Z to undo</source>
        <translation>{action} — 按 Ctrl+Z 撤销</translation>
    </message>
    <message numerus="yes">
        <source>Restored %n image(s)</source>
        <translation>
            <numerusform>已恢复 %n 张图片</numerusform>
        </translation>
    </message>
    <message>
        <source>Undone: {action}</source>
        <translation>已撤销：{action}</translation>
    </message>
    <message numerus="yes">
        <source>Permanently delete %Ln image(s) in the trash?</source>
        <translation>
            <numerusform>永久删除回收站中的 %Ln 张图片吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Permanently delete every image in the trash?</source>
        <translation>永久删除回收站中的所有图片吗？</translation>
    </message>
    <message>
        <source>Empty trash</source>
        <translation>清空回收站</translation>
    </message>
    <message>
        <source>Their files are deleted; this cannot be undone.</source>
        <translation>这些文件将被删除，且无法撤销。</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n image(s) from the trash</source>
        <translation>
            <numerusform>已从回收站删除 %n 张图片</numerusform>
        </translation>
    </message>
    <message>
        <source>Tag images</source>
        <translation>为图片添加标签</translation>
    </message>
    <message>
        <source>Tags (comma separated):</source>
        <translation>标签（用逗号分隔）：</translation>
    </message>
    <message>
        <source>Could not read {path}</source>
        <translation>无法读取 {path}</translation>
    </message>
    <message>
        <source>Save image as</source>
        <translation>图片另存为</translation>
    </message>
    <message>
        <source>Image (*{suffix})</source>
        <translation>图片 (*{suffix})</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Export selected images to</source>
        <translation>将所选图片导出到</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n image(s) to {path}</source>
        <translation>
            <numerusform>已将 %n 张图片导出到 {path}</numerusform>
        </translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <source>Copy prompt</source>
        <translation>复制提示词</translation>
    </message>
    <message>
        <source>Reuse prompt</source>
        <translation>复用提示词</translation>
    </message>
    <message>
        <source>Reuse all parameters</source>
        <translation>复用全部参数</translation>
    </message>
    <message>
        <source>Export selection…</source>
        <translation>导出所选…</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Use as reference</source>
        <translation>用作参考图</translation>
    </message>
    <message>
        <source>Extract palette</source>
        <translation>提取调色板</translation>
    </message>
    <message>
        <source>Reveal in file manager</source>
        <translation>在文件管理器中显示</translation>
    </message>
    <message>
        <source>Close this image set</source>
        <translation>收起这组图片</translation>
    </message>
    <message numerus="yes">
        <source>Open this image set (%n image(s))</source>
        <translation>
            <numerusform>展开这组图片（%n 张）</numerusform>
        </translation>
    </message>
    <message>
        <source>Compare the two selected</source>
        <translation>对比所选的两张</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>No rating</source>
        <translation>无评分</translation>
    </message>
    <message>
        <source>Toggle favourite</source>
        <translation>切换收藏</translation>
    </message>
    <message>
        <source>Tag…</source>
        <translation>标签…</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>移到回收站</translation>
    </message>
    <message>
        <source>Move the whole set to trash</source>
        <translation>将整组移到回收站</translation>
    </message>
</context>
<context>
    <name>GalleryView</name>
    <message>
        <source>Image gallery</source>
        <translation>图库</translation>
    </message>
</context>
<context>
    <name>GenerateActivity</name>
    <message>
        <source>Jobs running</source>
        <translation>运行中的任务</translation>
    </message>
    <message>
        <source>Stop the newest job</source>
        <translation>停止最新的任务</translation>
    </message>
    <message>
        <source>{summary}; newest: {detail}</source>
        <translation>{summary}；最新：{detail}</translation>
    </message>
</context>
<context>
    <name>GenerationPanel</name>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Reference images</source>
        <translation>参考图</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Colour palette</source>
        <translation>调色板</translation>
    </message>
    <message>
        <source>Show or hide the colour palette</source>
        <translation>显示或隐藏调色板</translation>
    </message>
    <message>
        <source>Generation settings</source>
        <translation>生成设置</translation>
    </message>
    <message>
        <source>Draft notice</source>
        <translation>草稿提示</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo new draft</source>
        <translation>撤销新建草稿</translation>
    </message>
    <message>
        <source>Bring back the prompt, references and settings that File ▸ New cleared</source>
        <translation>恢复“文件 ▸ 新建”清除的提示词、参考图和设置</translation>
    </message>
    <message>
        <source>Why Generate is unavailable</source>
        <translation>无法生成的原因</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Saving image {number}…</source>
        <translation>正在保存图 {number}…</translation>
    </message>
    <message>
        <source>Checking image {number}…</source>
        <translation>正在检查图 {number}…</translation>
    </message>
    <message>
        <source>Reference {number} ({name}): {problem}</source>
        <translation>参考图 {number}（{name}）：{problem}</translation>
    </message>
    <message>
        <source>image {number} — {name}</source>
        <translation>图{number} — {name}</translation>
    </message>
    <message>
        <source>Region boxes do not apply to image sets: kept, not sent.</source>
        <translation>区域框不适用于组图：已保留，不会发送。</translation>
    </message>
    <message>
        <source>The colour palette does not apply to image sets: kept, not sent.</source>
        <translation>调色板不适用于组图：已保留，不会发送。</translation>
    </message>
    <message>
        <source>Generate up to {n} · ≤ {cost}</source>
        <translation>最多生成 {n} 张 · ≤ {cost}</translation>
    </message>
    <message>
        <source>Generate {n} · ≈ {cost}</source>
        <translation>生成 {n} 张 · ≈ {cost}</translation>
    </message>
    <message>
        <source>{price} per image in {region}; only generated images are billed. Ctrl+Enter</source>
        <translation>{region}每张 {price}；仅对实际生成的图片计费。Ctrl+Enter</translation>
    </message>
    <message>
        <source>{reason} (+{count} more)</source>
        <translation>{reason}（另有 {count} 项）</translation>
    </message>
</context>
<context>
    <name>ImageCanvas</name>
    <message>
        <source>Image</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <source>Wan 2.7 — Viewer</source>
        <translation>Wan 2.7 — 查看器</translation>
    </message>
    <message>
        <source>Viewer tools</source>
        <translation>查看器工具</translation>
    </message>
    <message>
        <source>{tip} ({keys})</source>
        <translation>{tip}（{keys}）</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一张</translation>
    </message>
    <message>
        <source>Previous image</source>
        <translation>上一张图片</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一张</translation>
    </message>
    <message>
        <source>Next image</source>
        <translation>下一张图片</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Fit the window</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <source>Actual size, one image pixel per screen pixel</source>
        <translation>实际大小：一个图像像素对应一个屏幕像素</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Compare with next</source>
        <translation>与下一张对比</translation>
    </message>
    <message>
        <source>Compare with the next image, side by side</source>
        <translation>与下一张图片并排对比</translation>
    </message>
    <message>
        <source>Reuse prompt</source>
        <translation>复用提示词</translation>
    </message>
    <message>
        <source>Put this image&apos;s prompt in the prompt editor</source>
        <translation>将此图片的提示词放入提示词编辑器</translation>
    </message>
    <message>
        <source>Reuse parameters</source>
        <translation>复用参数</translation>
    </message>
    <message>
        <source>Take this image&apos;s prompt, references and every parameter</source>
        <translation>采用此图片的提示词、参考图和全部参数</translation>
    </message>
    <message>
        <source>Use as reference</source>
        <translation>用作参考图</translation>
    </message>
    <message>
        <source>Add this image to the reference images</source>
        <translation>将此图片添加为参考图</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the viewer</source>
        <translation>关闭查看器</translation>
    </message>
    <message>
        <source>Zoom {percent}%</source>
        <translation>缩放 {percent}%</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>This image file cannot be read (missing or damaged).</source>
        <translation>无法读取此图片文件（文件缺失或已损坏）。</translation>
    </message>
    <message>
        <source>Reference — {path}</source>
        <translation>参考图 — {path}</translation>
    </message>
</context>
<context>
    <name>JobCard</name>
    <message>
        <source>Job state</source>
        <translation>任务状态</translation>
    </message>
    <message>
        <source>Elapsed time</source>
        <translation>已用时间</translation>
    </message>
    <message>
        <source>Stop job</source>
        <translation>停止任务</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Retry job</source>
        <translation>重试任务</translation>
    </message>
    <message>
        <source>Send the same request again, as a new job</source>
        <translation>以新任务再次发送同一请求</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理建议</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>What to do: {hint}</source>
        <translation>处理建议：{hint}</translation>
    </message>
    <message>
        <source>Image {number} of {count}: ready</source>
        <translation>第 {number} 张（共 {count} 张）：已就绪</translation>
    </message>
    <message>
        <source>Image {number} of {count}: {state}</source>
        <translation>第 {number} 张（共 {count} 张）：{state}</translation>
    </message>
</context>
<context>
    <name>JobQueueModel</name>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务端</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Not sent: the window or command that queued it has ended. Nothing was billed; it is closed at the next start.</source>
        <translation>未发送：将它排入队列的窗口或命令已结束。未产生费用；下次启动时会将其关闭。</translation>
    </message>
    <message>
        <source>Not running: it resumes at the next start, or now with Jobs ▸ Resume Unfinished Jobs.</source>
        <translation>未在运行：下次启动时会继续，也可以现在通过“任务 ▸ 继续未完成的任务”继续。</translation>
    </message>
    <message>
        <source>Run by another Wan 2.7 window or the wan27 command ({who}), which saves its images: they appear in the gallery. Stop it there.</source>
        <translation>由另一个 Wan 2.7 窗口或 wan27 命令运行（{who}），图片由它保存并会出现在图库中。请在那里停止它。</translation>
    </message>
    <message>
        <source>Waiting for a free slot (Settings ▸ concurrency).</source>
        <translation>正在等待空闲名额（设置 ▸ 同时运行的任务数）。</translation>
    </message>
    <message>
        <source>Job {id}: {text}</source>
        <translation>任务 {id}：{text}</translation>
    </message>
    <message>
        <source>Job {id}</source>
        <translation>任务 {id}</translation>
    </message>
    <message>
        <source> · request {id}</source>
        <translation> · 请求 {id}</translation>
    </message>
    <message>
        <source>In another window or the wan27 command</source>
        <translation>在另一个窗口或 wan27 命令中</translation>
    </message>
</context>
<context>
    <name>JobQueuePanel</name>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>Cancel the selected job (Delete)</source>
        <translation>取消选中的任务（Delete）</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Retry job</source>
        <translation>重试任务</translation>
    </message>
    <message>
        <source>Run the selected job again as a new job</source>
        <translation>将选中的任务作为新任务重新运行</translation>
    </message>
    <message>
        <source>Show results</source>
        <translation>查看结果</translation>
    </message>
    <message>
        <source>Show job results</source>
        <translation>查看任务结果</translation>
    </message>
    <message>
        <source>Show this job&apos;s images in the gallery (double-click)</source>
        <translation>在图库中显示此任务的图片（双击）</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
    <message>
        <source>Copy job details</source>
        <translation>复制任务详情</translation>
    </message>
    <message>
        <source>Copy the job&apos;s error, code, hint and request id</source>
        <translation>复制任务的错误、错误码、建议和请求 ID</translation>
    </message>
    <message>
        <source>Job error details</source>
        <translation>任务错误详情</translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n 个运行中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in other windows</source>
        <translation>
            <numerusform>%n 个在其他窗口中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n need attention</source>
        <translation>
            <numerusform>%n 个需要处理</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing yet: generated jobs appear here</source>
        <translation>暂无任务：生成的任务会显示在这里</translation>
    </message>
    <message>
        <source>What to do: {hint}</source>
        <translation>建议：{hint}</translation>
    </message>
    <message>
        <source>Request id: {id}</source>
        <translation>请求 ID：{id}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Resume job</source>
        <translation>继续任务</translation>
    </message>
    <message>
        <source>Carry the selected job on: fetch its task&apos;s images, or try its result links again</source>
        <translation>继续所选任务：获取其服务端任务的图片，或再次尝试其结果链接</translation>
    </message>
</context>
<context>
    <name>JobRow</name>
    <message>
        <source>Batch {batch} · {prompt}</source>
        <translation>批量任务 {batch} · {prompt}</translation>
    </message>
    <message>
        <source>Job {id}: {state}</source>
        <translation>任务 {id}：{state}</translation>
    </message>
    <message>
        <source>Batch: {batch}</source>
        <translation>批量任务：{batch}</translation>
    </message>
    <message>
        <source>Run by: {who}</source>
        <translation>运行者：{who}</translation>
    </message>
    <message>
        <source>Prompt: {prompt}</source>
        <translation>提示词：{prompt}</translation>
    </message>
    <message>
        <source>Model: {model} ({mode})</source>
        <translation>模型：{model}（{mode}）</translation>
    </message>
    <message>
        <source>Error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <source>Code: {code}</source>
        <translation>错误码：{code}</translation>
    </message>
    <message>
        <source>What to do: {hint}</source>
        <translation>建议：{hint}</translation>
    </message>
    <message>
        <source>Request id: {id}</source>
        <translation>请求 ID：{id}</translation>
    </message>
    <message>
        <source>Task id: {id}</source>
        <translation>任务 ID：{id}</translation>
    </message>
    <message>
        <source>Server status: {status}</source>
        <translation>服务端状态：{status}</translation>
    </message>
    <message>
        <source>Images: {done}/{expected}</source>
        <translation>图片：{done}/{expected}</translation>
    </message>
    <message>
        <source>Note: {message}</source>
        <translation>说明：{message}</translation>
    </message>
</context>
<context>
    <name>JobState</name>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <source>Waiting for service</source>
        <translation>等待服务端</translation>
    </message>
    <message>
        <source>Generating</source>
        <translation>生成中</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Partly done</source>
        <translation>部分完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Running at the service</source>
        <translation>服务端运行中</translation>
    </message>
</context>
<context>
    <name>KeyDialog</name>
    <message>
        <source>International site (dashscope-intl.aliyuncs.com): keys from the Alibaba Cloud console.</source>
        <translation>国际站（dashscope-intl.aliyuncs.com）：在阿里云国际站控制台创建的密钥。</translation>
    </message>
    <message>
        <source>Chinese mainland (dashscope.aliyuncs.com): keys from the Aliyun (China) console.</source>
        <translation>中国内地（dashscope.aliyuncs.com）：在阿里云（中国站）控制台创建的密钥。</translation>
    </message>
    <message>
        <source>Singapore</source>
        <translation>新加坡</translation>
    </message>
    <message>
        <source>Beijing</source>
        <translation>北京</translation>
    </message>
    <message>
        <source>DashScope API key</source>
        <translation>DashScope API 密钥</translation>
    </message>
    <message>
        <source>Wan 2.7 Desktop needs a DashScope API key from Alibaba Cloud Model Studio. Keys belong to one region: choose the region where you created it.</source>
        <translation>Wan 2.7 Desktop 需要一个来自阿里云百炼的 DashScope API 密钥。密钥只属于一个地域：请选择你创建它时所在的地域。</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>sk-…</source>
        <translation>sk-…</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show key</source>
        <translation>显示密钥</translation>
    </message>
    <message>
        <source>Show or hide the key while typing</source>
        <translation>输入时显示或隐藏密钥</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>地域(&amp;R)：</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>Current key</source>
        <translation>当前密钥</translation>
    </message>
    <message>
        <source>Current key: {0} ({1})</source>
        <translation>当前密钥：{0}（{1}）</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>正在处理</translation>
    </message>
    <message>
        <source>Key status</source>
        <translation>密钥状态</translation>
    </message>
    <message>
        <source>Switch region</source>
        <translation>切换地域</translation>
    </message>
    <message>
        <source>&amp;Check key</source>
        <translation>检查密钥(&amp;C)</translation>
    </message>
    <message>
        <source>Check key</source>
        <translation>检查密钥</translation>
    </message>
    <message>
        <source>Asks the service whether the key works, at no cost</source>
        <translation>向服务端确认密钥是否可用，不产生费用</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save key</source>
        <translation>保存密钥</translation>
    </message>
    <message>
        <source>Store the key in the system keyring</source>
        <translation>将密钥保存到系统密钥环</translation>
    </message>
    <message>
        <source>Use for this session &amp;only</source>
        <translation>仅用于本次会话(&amp;O)</translation>
    </message>
    <message>
        <source>Use key for this session only</source>
        <translation>仅在本次会话中使用密钥</translation>
    </message>
    <message>
        <source>Keep the key in memory until the app quits; nothing is saved</source>
        <translation>密钥只保存在内存中，退出应用后清除；不会写入任何地方</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>No usable system keyring: the key cannot be stored</source>
        <translation>没有可用的系统密钥环：无法保存密钥</translation>
    </message>
    <message>
        <source>{0}
Or use the key for this session only: it is kept in memory and forgotten when the app quits.</source>
        <translation>{0}
也可以仅在本次会话中使用密钥：它只保存在内存中，退出应用后即被清除。</translation>
    </message>
    <message>
        <source>Checking the key with {0}…</source>
        <translation>正在向{0}验证密钥…</translation>
    </message>
    <message>
        <source>Invalid key: neither Singapore nor Beijing accepted it. Copy it again from the Model Studio console.</source>
        <translation>密钥无效：新加坡和北京地域均未接受。请从百炼控制台重新复制。</translation>
    </message>
    <message>
        <source>✓ Valid for {0}.</source>
        <translation>✓ 适用于{0}。</translation>
    </message>
    <message>
        <source>This key belongs to {0} — switch region?</source>
        <translation>此密钥属于{0}——切换地域吗？</translation>
    </message>
    <message>
        <source>Switch to {0}</source>
        <translation>切换到{0}</translation>
    </message>
    <message>
        <source>Could not check the key: {0}
{1}</source>
        <translation>无法检查密钥：{0}
{1}</translation>
    </message>
    <message>
        <source>Could not check the key: {0}</source>
        <translation>无法检查密钥：{0}</translation>
    </message>
    <message>
        <source>Saving the key in the system keyring…</source>
        <translation>正在将密钥保存到系统密钥环…</translation>
    </message>
    <message>
        <source>in the system keyring</source>
        <translation>保存在系统密钥环中</translation>
    </message>
    <message>
        <source>for this session only; it is forgotten when the app quits</source>
        <translation>仅用于本次会话；退出应用后即被清除</translation>
    </message>
    <message>
        <source>✓ Saved {0} for {1} {2}.</source>
        <translation>✓ 已将 {0} 用于{1}，{2}。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>{0}
{1}</source>
        <translation>{0}
{1}</translation>
    </message>
    <message>
        <source>The key was not saved: {0}</source>
        <translation>密钥未保存：{0}</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>A new language takes effect after a restart.</source>
        <translation>新的语言将在重启应用后生效。</translation>
    </message>
</context>
<context>
    <name>LibraryMoveFlow</name>
    <message>
        <source>The library cannot move now</source>
        <translation>现在无法移动图库</translation>
    </message>
    <message>
        <source>Looking at the library…</source>
        <translation>正在检查图库…</translation>
    </message>
    <message>
        <source>Move the library to this folder?
{target}</source>
        <translation>将图库移动到这个文件夹吗？
{target}</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), {size} in all, will be copied there ({free} free).</source>
        <translation>
            <numerusform>将复制 %n 个文件，共 {size}（可用空间 {free}）。</numerusform>
        </translation>
    </message>
    <message>
        <source>The copy is checked before the app switches to it; then the old copy in {source} is removed. Until then nothing changes, and you can cancel at any time.</source>
        <translation>切换到新位置前会先校验副本，然后删除 {source} 中的旧副本。在此之前一切保持不变，你可以随时取消。</translation>
    </message>
    <message>
        <source>Settings, logs and prompt history stay where they are.</source>
        <translation>设置、日志和提示词历史保留在原位置。</translation>
    </message>
    <message>
        <source>Move the library</source>
        <translation>移动图库</translation>
    </message>
    <message>
        <source>&amp;Move</source>
        <translation>移动(&amp;M)</translation>
    </message>
    <message>
        <source>Copying the library…</source>
        <translation>正在复制图库…</translation>
    </message>
    <message>
        <source>Canceling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Checking the copy…</source>
        <translation>正在校验副本…</translation>
    </message>
    <message>
        <source>Copying the library: {done} of {total}…</source>
        <translation>正在复制图库：{done} / {total}…</translation>
    </message>
    <message>
        <source>Switching to the new folder…</source>
        <translation>正在切换到新文件夹…</translation>
    </message>
    <message>
        <source>The library was not moved</source>
        <translation>图库未移动</translation>
    </message>
    <message>
        <source>The app could not switch to the new folder: {error}
The library stays in {source}.</source>
        <translation>应用无法切换到新文件夹：{error}
图库仍在 {source}。</translation>
    </message>
    <message>
        <source>Removing the old copy…</source>
        <translation>正在删除旧副本…</translation>
    </message>
    <message>
        <source>Library moved</source>
        <translation>图库已移动</translation>
    </message>
    <message>
        <source>The library is now in
{target}</source>
        <translation>图库现在位于
{target}</translation>
    </message>
    <message>
        <source>The library is now in {target}. The old copy in {source} was kept because something wrote to it during the move; see {note} there.</source>
        <translation>图库现在位于 {target}。由于移动期间有程序写入了 {source} 中的旧副本，旧副本已保留；详见其中的 {note}。</translation>
    </message>
    <message>
        <source>The library is now in {target}. Some files of the old copy in {source} could not be deleted; {note} lists them, and you can delete them yourself.</source>
        <translation>图库现在位于 {target}。{source} 中旧副本的部分文件无法删除；{note} 列出了这些文件，你可以自行删除。</translation>
    </message>
    <message>
        <source>The library is now in {target}, but the old copy in {source} could not be removed: {error}</source>
        <translation>图库现在位于 {target}，但无法删除 {source} 中的旧副本：{error}</translation>
    </message>
    <message>
        <source>Move canceled</source>
        <translation>已取消移动</translation>
    </message>
    <message>
        <source>The library was not moved; it is still in {source}.</source>
        <translation>图库未移动，仍在 {source}。</translation>
    </message>
    <message>
        <source>The library cannot move there</source>
        <translation>图库无法移动到那里</translation>
    </message>
    <message>
        <source>The disk is full ({path}). Free some space there or choose another disk.</source>
        <translation>磁盘已满（{path}）。请释放一些空间或选择其他磁盘。</translation>
    </message>
    <message>
        <source>{path}: {reason}</source>
        <translation>{path}：{reason}</translation>
    </message>
    <message>
        <source>The library database could not be copied: {error}</source>
        <translation>无法复制图库数据库：{error}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Moving the library</source>
        <translation>正在移动图库</translation>
    </message>
    <message>
        <source>Library not found</source>
        <translation>找不到图库</translation>
    </message>
    <message>
        <source>The library folder {folder} cannot be found.</source>
        <translation>找不到图库文件夹 {folder}。</translation>
    </message>
    <message>
        <source>If it is on an external or network drive, connect it and choose Retry. Your images stay in that folder either way.</source>
        <translation>如果它在外接硬盘或网络驱动器上，请连接后选择“重试”。无论如何，你的图片都会保留在那个文件夹中。</translation>
    </message>
    <message>
        <source>Start a New Library</source>
        <translation>新建图库</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Job queue</source>
        <translation>任务队列</translation>
    </message>
    <message>
        <source>The library could not be opened.</source>
        <translation>无法打开图库。</translation>
    </message>
    <message>
        <source>The library could not be opened</source>
        <translation>无法打开图库</translation>
    </message>
    <message>
        <source>Job failed</source>
        <translation>任务失败</translation>
    </message>
    <message>
        <source>Job interrupted</source>
        <translation>任务已中断</translation>
    </message>
    <message>
        <source>Job expired</source>
        <translation>任务已过期</translation>
    </message>
    <message>
        <source>Job paused</source>
        <translation>任务已暂停</translation>
    </message>
    <message>
        <source>Images ready</source>
        <translation>图片已生成</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s): {prompt}</source>
        <translation>
            <numerusform>%n 张图片：{prompt}</numerusform>
        </translation>
    </message>
    <message>
        <source>The job did not finish.</source>
        <translation>任务未完成。</translation>
    </message>
    <message>
        <source>Over the spending limit</source>
        <translation>超出花费上限</translation>
    </message>
    <message>
        <source>Send Anyway</source>
        <translation>仍然发送</translation>
    </message>
    <message>
        <source>Showing the images of job {job}. View ▸ Show All Images to go back.</source>
        <translation>正在显示任务 {job} 的图片。通过“视图 ▸ 显示所有图片”返回。</translation>
    </message>
    <message>
        <source>the settings file could not be written</source>
        <translation>无法写入设置文件</translation>
    </message>
    <message>
        <source>New draft started.</source>
        <translation>已开始新草稿。</translation>
    </message>
    <message>
        <source>Import images from folder</source>
        <translation>从文件夹导入图片</translation>
    </message>
    <message>
        <source>Importing {folder}…</source>
        <translation>正在导入 {folder}…</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <source>Diagnostic info copied to the clipboard (it never contains the key).</source>
        <translation>诊断信息已复制到剪贴板（其中绝不包含密钥）。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>Start an empty draft: prompt, references and parameters (Undo brings it back)</source>
        <translation>开始一个空白草稿：提示词、参考图和参数（可撤销）</translation>
    </message>
    <message>
        <source>&amp;Import Folder…</source>
        <translation>导入文件夹(&amp;I)…</translation>
    </message>
    <message>
        <source>Add existing images from a folder to the library</source>
        <translation>将文件夹中已有的图片添加到图库</translation>
    </message>
    <message>
        <source>&amp;Export Selection…</source>
        <translation>导出所选(&amp;E)…</translation>
    </message>
    <message>
        <source>Copy the selected images out, metadata intact</source>
        <translation>复制导出所选图片，元数据保持完整</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Find in Library</source>
        <translation>在图库中查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Generation Panel</source>
        <translation>生成面板(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Job Queue</source>
        <translation>任务队列(&amp;J)</translation>
    </message>
    <message>
        <source>Show &amp;All Images</source>
        <translation>显示所有图片(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Full Screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Follow &amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>任务(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>New &amp;Batch…</source>
        <translation>新建批量(&amp;B)…</translation>
    </message>
    <message>
        <source>One instruction over many images, a list of prompts, or a prompt matrix</source>
        <translation>一条指令处理多张图片、一个提示词列表或一个提示词矩阵</translation>
    </message>
    <message>
        <source>Batc&amp;hes…</source>
        <translation>批量任务(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Resume Unfinished Jobs</source>
        <translation>继续未完成的任务(&amp;R)</translation>
    </message>
    <message>
        <source>Re&amp;try Selected Job</source>
        <translation>重试选中的任务(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Cancel Selected Job</source>
        <translation>取消选中的任务(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Welcome…</source>
        <translation>欢迎(&amp;W)…</translation>
    </message>
    <message>
        <source>Region and key, a sample prompt, where the library lives</source>
        <translation>地域和密钥、示例提示词、图库位置</translation>
    </message>
    <message>
        <source>Copy &amp;Diagnostic Info</source>
        <translation>复制诊断信息(&amp;D)</translation>
    </message>
    <message>
        <source>Versions, platform, paths and recent errors for a bug report; never the key</source>
        <translation>版本、平台、路径和最近的错误，用于问题报告；绝不包含密钥</translation>
    </message>
    <message>
        <source>&amp;About Wan 2.7 Desktop</source>
        <translation>关于 Wan 2.7 Desktop(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>&amp;Fetch a Task by Id…</source>
        <translation>按 ID 获取任务(&amp;F)…</translation>
    </message>
    <message>
        <source>Tasks at the &amp;Service…</source>
        <translation>服务端任务(&amp;S)…</translation>
    </message>
</context>
<context>
    <name>MetadataPanel</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>实际尺寸</translation>
    </message>
    <message>
        <source>Requested size</source>
        <translation>请求尺寸</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Number of images</source>
        <translation>图片数量</translation>
    </message>
    <message>
        <source>Watermark</source>
        <translation>水印</translation>
    </message>
    <message>
        <source>Thinking mode</source>
        <translation>思考模式</translation>
    </message>
    <message>
        <source>Image set</source>
        <translation>组图</translation>
    </message>
    <message>
        <source>Region boxes</source>
        <translation>区域框</translation>
    </message>
    <message>
        <source>Colour palette</source>
        <translation>调色板</translation>
    </message>
    <message>
        <source>Request mode</source>
        <translation>请求方式</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>Request id</source>
        <translation>请求 ID</translation>
    </message>
    <message>
        <source>Task id</source>
        <translation>任务 ID</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Job state</source>
        <translation>任务状态</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <source>Images billed</source>
        <translation>计费图片数</translation>
    </message>
    <message>
        <source>Billed size</source>
        <translation>计费尺寸</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>输入词元数</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>输出词元数</translation>
    </message>
    <message>
        <source>Total tokens</source>
        <translation>总词元数</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>收藏</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>File size</source>
        <translation>文件大小</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Synchronous</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Asynchronous</source>
        <translation>异步</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>image {number}: {boxes}</source>
        <translation>图{number}：{boxes}</translation>
    </message>
    <message>
        <source>≈ {cost} (estimate)</source>
        <translation>≈ {cost}（估算）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Image details</source>
        <translation>图片详情</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Copy {what}</source>
        <translation>复制{what}</translation>
    </message>
    <message>
        <source>Copy prompt</source>
        <translation>复制提示词</translation>
    </message>
    <message>
        <source>Made from</source>
        <translation>来源图片</translation>
    </message>
    <message>
        <source>Images made from this one</source>
        <translation>由此图生成的图片</translation>
    </message>
    <message>
        <source>No reference images</source>
        <translation>没有参考图</translation>
    </message>
    <message>
        <source>None yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
</context>
<context>
    <name>NewBatchDialog</name>
    <message>
        <source>New Batch</source>
        <translation>新建批量任务</translation>
    </message>
    <message>
        <source>Batch source</source>
        <translation>批量任务来源</translation>
    </message>
    <message>
        <source>&amp;Each image</source>
        <translation>逐张图片(&amp;E)</translation>
    </message>
    <message>
        <source>A &amp;list</source>
        <translation>列表(&amp;L)</translation>
    </message>
    <message>
        <source>A &amp;matrix</source>
        <translation>矩阵(&amp;M)</translation>
    </message>
    <message>
        <source>Batch name</source>
        <translation>批量任务名称</translation>
    </message>
    <message>
        <source>The source&apos;s name</source>
        <translation>来源的名称</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Shared parameters</source>
        <translation>共用参数</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>参数：</translation>
    </message>
    <message>
        <source>Batch preview</source>
        <translation>批量任务预览</translation>
    </message>
    <message>
        <source>Batch problem</source>
        <translation>批量任务问题</translation>
    </message>
    <message>
        <source>Rows refused before sending</source>
        <translation>发送前被拒绝的行</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Why it is not sent</source>
        <translation>未发送的原因</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <source>Preview the batch</source>
        <translation>预览批量任务</translation>
    </message>
    <message>
        <source>&amp;Start Batch</source>
        <translation>开始批量任务(&amp;S)</translation>
    </message>
    <message>
        <source>Start the batch</source>
        <translation>开始批量任务</translation>
    </message>
    <message>
        <source>Close without sending</source>
        <translation>关闭且不发送</translation>
    </message>
    <message>
        <source>Folder of images</source>
        <translation>图片文件夹</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>选择(&amp;H)…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>文件夹(&amp;F)：</translation>
    </message>
    <message numerus="yes">
        <source>Using the %n image(s) selected in the gallery.</source>
        <translation>
            <numerusform>使用图库中选中的 %n 张图片。</numerusform>
        </translation>
    </message>
    <message>
        <source>Instruction for every image</source>
        <translation>每张图片的指令</translation>
    </message>
    <message>
        <source>What to do with each image, e.g. make image 1 a watercolour</source>
        <translation>对每张图片做什么，例如：把图 1 改成水彩画</translation>
    </message>
    <message>
        <source>&amp;Instruction:</source>
        <translation>指令(&amp;I)：</translation>
    </message>
    <message>
        <source>List file</source>
        <translation>列表文件</translation>
    </message>
    <message>
        <source>Ch&amp;oose…</source>
        <translation>选择(&amp;O)…</translation>
    </message>
    <message>
        <source>Choose a list file</source>
        <translation>选择列表文件</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <source>A .txt file has one prompt per line. A .csv file has a &apos;prompt&apos; column, a .jsonl file one object per line with a &apos;prompt&apos;; both may set size, n, seed, model, ref, set and watermark per row. Rows that break a rule are listed below and not sent.</source>
        <translation>.txt 文件每行一个提示词。.csv 文件有一列 &apos;prompt&apos;，.jsonl 文件每行一个带 &apos;prompt&apos; 的对象；两者都可以按行设置 size、n、seed、model、ref、set 和 watermark。违反规则的行会列在下方，不会发送。</translation>
    </message>
    <message>
        <source>Matrix prompt</source>
        <translation>矩阵提示词</translation>
    </message>
    <message>
        <source>{red|blue|green} fox in {snow|rain}</source>
        <translation>{red|blue|green} 的狐狸在 {snow|rain} 中</translation>
    </message>
    <message>
        <source>&amp;Prompt:</source>
        <translation>提示词(&amp;P)：</translation>
    </message>
    <message>
        <source>Seeds, separated by commas</source>
        <translation>种子，用逗号分隔</translation>
    </message>
    <message>
        <source>e.g. 1, 2, 3</source>
        <translation>例如 1, 2, 3</translation>
    </message>
    <message>
        <source>S&amp;eeds:</source>
        <translation>种子(&amp;E)：</translation>
    </message>
    <message>
        <source>Sizes, separated by commas</source>
        <translation>尺寸，用逗号分隔</translation>
    </message>
    <message>
        <source>e.g. 1K, 2K, 1536*1024</source>
        <translation>例如 1K, 2K, 1536*1024</translation>
    </message>
    <message>
        <source>Si&amp;zes:</source>
        <translation>尺寸(&amp;Z)：</translation>
    </message>
    <message>
        <source>Models, separated by commas</source>
        <translation>模型，用逗号分隔</translation>
    </message>
    <message>
        <source>e.g. pro, standard</source>
        <translation>例如 pro, standard</translation>
    </message>
    <message>
        <source>Mo&amp;dels:</source>
        <translation>模型(&amp;D)：</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) per job</source>
        <translation>
            <numerusform>每个任务 %n 张图片</numerusform>
        </translation>
    </message>
    <message>
        <source>seed %1</source>
        <translation>种子 %1</translation>
    </message>
    <message>
        <source>random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>async</source>
        <translation>异步</translation>
    </message>
    <message numerus="yes">
        <source>%n shared reference(s)</source>
        <translation>
            <numerusform>%n 张共用参考图</numerusform>
        </translation>
    </message>
    <message>
        <source>From the generation panel; change them there.</source>
        <translation>取自生成面板；请在那里修改。</translation>
    </message>
    <message>
        <source>List of prompts</source>
        <translation>提示词列表</translation>
    </message>
    <message>
        <source>Lists (*.txt *.csv *.jsonl *.ndjson)</source>
        <translation>列表 (*.txt *.csv *.jsonl *.ndjson)</translation>
    </message>
    <message>
        <source>Reading the source…</source>
        <translation>正在读取来源…</translation>
    </message>
    <message>
        <source>Choose a source; the preview shows what will be sent.</source>
        <translation>选择一个来源；预览会显示将要发送的内容。</translation>
    </message>
    <message numerus="yes">
        <source>up to %n image(s)</source>
        <translation>
            <numerusform>最多 %n 张图片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s)</source>
        <translation>
            <numerusform>%n 个任务</numerusform>
        </translation>
    </message>
    <message>
        <source>estimated {cost} ({currency})</source>
        <translation>预计 {cost}（{currency}）</translation>
    </message>
    <message>
        <source>About {duration} at {count} tasks at once (~{seconds} s per task).</source>
        <translation>同时运行 {count} 个任务时约需 {duration}（每个任务约 {seconds} 秒）。</translation>
    </message>
    <message>
        <source>Spent today {today} of {daily}; this month {month} of {monthly}.</source>
        <translation>今日已花费 {today}（上限 {daily}）；本月已花费 {month}（上限 {monthly}）。</translation>
    </message>
    <message>
        <source>This batch would cross a spending limit: starting it will ask first.</source>
        <translation>这个批量任务会超出花费上限：开始前会先询问。</translation>
    </message>
    <message>
        <source>Columns ignored: {columns}</source>
        <translation>已忽略的列：{columns}</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>无上限</translation>
    </message>
    <message>
        <source>This batch (up to {cost}) would cross your daily limit of {limit}: {spent} is spent already.</source>
        <translation>这个批量任务（最多 {cost}）会超出每日上限 {limit}：已花费 {spent}。</translation>
    </message>
    <message>
        <source>This batch (up to {cost}) would cross your monthly limit of {limit}: {spent} is spent already.</source>
        <translation>这个批量任务（最多 {cost}）会超出每月上限 {limit}：已花费 {spent}。</translation>
    </message>
    <message>
        <source>Over the spending limit</source>
        <translation>超出花费上限</translation>
    </message>
    <message>
        <source>Send Anyway</source>
        <translation>仍然发送</translation>
    </message>
    <message>
        <source>%n s</source>
        <translation>%n 秒</translation>
    </message>
    <message>
        <source>%n min</source>
        <translation>%n 分钟</translation>
    </message>
    <message>
        <source>%n h</source>
        <translation>%n 小时</translation>
    </message>
</context>
<context>
    <name>PaletteEditor</name>
    <message>
        <source>Colour palette</source>
        <translation>调色板</translation>
    </message>
    <message>
        <source>Could not extract a palette: {reason}</source>
        <translation>无法提取调色板：{reason}</translation>
    </message>
    <message>
        <source>Use a colour palette</source>
        <translation>使用调色板</translation>
    </message>
    <message>
        <source>Saved palettes</source>
        <translation>已保存的调色板</translation>
    </message>
    <message>
        <source>Save palette</source>
        <translation>保存调色板</translation>
    </message>
    <message>
        <source>Save this palette by name</source>
        <translation>为此调色板命名并保存</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Delete saved palette</source>
        <translation>删除已保存的调色板</translation>
    </message>
    <message>
        <source>Delete the chosen saved palette</source>
        <translation>删除所选的已保存调色板</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Add colour</source>
        <translation>添加颜色</translation>
    </message>
    <message>
        <source>Add a colour (up to {count})</source>
        <translation>添加一种颜色（最多 {count} 种）</translation>
    </message>
    <message>
        <source>+ Colour</source>
        <translation>+ 颜色</translation>
    </message>
    <message>
        <source>Extract palette from image</source>
        <translation>从图片提取调色板</translation>
    </message>
    <message>
        <source>Take the main colours of a reference image</source>
        <translation>提取参考图的主要颜色</translation>
    </message>
    <message>
        <source>From image</source>
        <translation>从图片提取</translation>
    </message>
    <message>
        <source>Palette total</source>
        <translation>调色板合计</translation>
    </message>
    <message>
        <source>Palette message</source>
        <translation>调色板提示</translation>
    </message>
    <message>
        <source>Guide the colours of the result with {low} to {high} colours and their shares</source>
        <translation>用 {low}–{high} 种颜色及其占比引导生成结果的配色</translation>
    </message>
    <message>
        <source>A palette needs at least {count} colours.</source>
        <translation>调色板至少需要 {count} 种颜色。</translation>
    </message>
    <message>
        <source>A palette has at most {count} colours.</source>
        <translation>调色板最多 {count} 种颜色。</translation>
    </message>
    <message>
        <source>“{text}” is not a colour like #1F3A5F.</source>
        <translation>“{text}”不是形如 #1F3A5F 的颜色。</translation>
    </message>
    <message>
        <source>Add a reference image to extract its colours</source>
        <translation>添加参考图后可提取其颜色</translation>
    </message>
    <message>
        <source>Extracting colours…</source>
        <translation>正在提取颜色…</translation>
    </message>
    <message numerus="yes">
        <source>The image has only %n distinct colours; a palette needs {count}. The palette was not changed.</source>
        <translation>
            <numerusform>这张图只有 %n 种不同的颜色，而调色板至少需要 {count} 种。调色板未更改。</numerusform>
        </translation>
    </message>
    <message>
        <source>Saved…</source>
        <translation>已保存…</translation>
    </message>
    <message>
        <source>Saved palette “{name}”.</source>
        <translation>已保存调色板“{name}”。</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message numerus="yes">
        <source>%n colours · total {total}%</source>
        <translation>
            <numerusform>%n 种颜色 · 合计 {total}%</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PaletteRow</name>
    <message>
        <source>Colour {n}</source>
        <translation>颜色 {n}</translation>
    </message>
    <message>
        <source>Choose this colour</source>
        <translation>选择此颜色</translation>
    </message>
    <message>
        <source>Colour {n} hex value</source>
        <translation>颜色 {n} 的十六进制值</translation>
    </message>
    <message>
        <source>Colour {n} share</source>
        <translation>颜色 {n} 的占比</translation>
    </message>
    <message>
        <source>Colour {n} share in percent</source>
        <translation>颜色 {n} 的占比（百分比）</translation>
    </message>
    <message>
        <source>Remove colour {n}</source>
        <translation>移除颜色 {n}</translation>
    </message>
    <message>
        <source>Remove this colour</source>
        <translation>移除此颜色</translation>
    </message>
    <message>
        <source>A palette needs at least {count} colours</source>
        <translation>调色板至少需要 {count} 种颜色</translation>
    </message>
</context>
<context>
    <name>ParametersPanel</name>
    <message>
        <source>Wan 2.7 Pro</source>
        <translation>Wan 2.7 Pro</translation>
    </message>
    <message>
        <source>Wan 2.7 Standard</source>
        <translation>Wan 2.7 标准版</translation>
    </message>
    <message>
        <source>wan2.7-image-pro: higher quality; up to 4K for pure text-to-image</source>
        <translation>wan2.7-image-pro：画质更高；纯文生图最高 4K</translation>
    </message>
    <message>
        <source>wan2.7-image: faster and cheaper; up to 2K</source>
        <translation>wan2.7-image：更快、更便宜；最高 2K</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Output size</source>
        <translation>输出尺寸</translation>
    </message>
    <message>
        <source>Aspect ratio</source>
        <translation>宽高比</translation>
    </message>
    <message>
        <source>Pick an aspect ratio; width and height are chosen to fit the pixel budget</source>
        <translation>选择宽高比；宽和高会按像素上限自动确定</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Custom width in pixels</source>
        <translation>自定义宽度（像素）</translation>
    </message>
    <message>
        <source>Custom height in pixels</source>
        <translation>自定义高度（像素）</translation>
    </message>
    <message>
        <source>Output size note</source>
        <translation>输出尺寸说明</translation>
    </message>
    <message>
        <source>Number of images</source>
        <translation>图片数量</translation>
    </message>
    <message>
        <source>How many images to generate; each one is billed</source>
        <translation>要生成的图片数量；每张都计费</translation>
    </message>
    <message>
        <source>Number of images adjusted</source>
        <translation>图片数量已调整</translation>
    </message>
    <message>
        <source>Fixed</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Fixed seed</source>
        <translation>固定种子</translation>
    </message>
    <message>
        <source>Off: a new random seed each time. On: reuse this seed to repeat a result (similar, not bit-identical)</source>
        <translation>关闭：每次使用新的随机种子。开启：复用此种子以重现结果（相似，但不会逐像素相同）</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Random each time</source>
        <translation>每次随机</translation>
    </message>
    <message>
        <source>Roll a random seed</source>
        <translation>随机生成种子</translation>
    </message>
    <message>
        <source>Pick a random seed and fix it</source>
        <translation>随机选一个种子并固定</translation>
    </message>
    <message>
        <source>Image set (several coherent images)</source>
        <translation>组图（多张连贯的图片）</translation>
    </message>
    <message>
        <source>Image set</source>
        <translation>组图</translation>
    </message>
    <message>
        <source>A storyboard or series from one prompt; n becomes a ceiling of up to {count} (no thinking mode, palette or boxes)</source>
        <translation>用一个提示词生成分镜或系列图；n 变为上限，最多 {count} 张（不支持思考模式、调色板和区域框）</translation>
    </message>
    <message>
        <source>Thinking mode</source>
        <translation>思考模式</translation>
    </message>
    <message>
        <source>Watermark (“AI generated” mark)</source>
        <translation>水印（“AI 生成”标识）</translation>
    </message>
    <message>
        <source>Watermark</source>
        <translation>水印</translation>
    </message>
    <message>
        <source>Add the service&apos;s “AI生成 / AI Generated” mark in the corner</source>
        <translation>在角落添加服务端的“AI生成”标识</translation>
    </message>
    <message>
        <source>Why thinking mode is not sent</source>
        <translation>思考模式不发送的原因</translation>
    </message>
    <message>
        <source>Request mode</source>
        <translation>请求方式</translation>
    </message>
    <message>
        <source>Synchronous (wait for the result)</source>
        <translation>同步（等待结果）</translation>
    </message>
    <message>
        <source>Asynchronous (queued task)</source>
        <translation>异步（排队任务）</translation>
    </message>
    <message>
        <source>Parameter adjustments</source>
        <translation>参数调整</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>The seed sent with every generation ({low} to {high})</source>
        <translation>每次生成都发送此种子（{low}–{high}）</translation>
    </message>
    <message>
        <source>Random each time: tick “Fixed” or roll the dice to repeat a result</source>
        <translation>每次随机：勾选“固定”或掷骰子即可重现结果</translation>
    </message>
    <message>
        <source>Custom size…</source>
        <translation>自定义尺寸…</translation>
    </message>
    <message>
        <source>{pixels} MP of at most {side} × {side} ({budget} MP); the service may deliver slightly different sides.</source>
        <translation>{pixels} MP，上限 {side} × {side}（{budget} MP）；服务端返回的边长可能略有不同。</translation>
    </message>
    <message>
        <source>Presets keep the pixel budget and take the aspect ratio of the last reference image.</source>
        <translation>预设尺寸保持像素总量，宽高比取最后一张参考图的比例。</translation>
    </message>
    <message>
        <source>Reduced from {n} to {high}: without an image set the number is {low}–{high}.</source>
        <translation>已从 {n} 减为 {high}：不使用组图时数量为 {low}–{high}。</translation>
    </message>
    <message>
        <source>Derived from the inputs: add reference images to edit, tick “Image set” for a series.</source>
        <translation>由输入自动确定：添加参考图即为编辑，勾选“组图”即生成系列图。</translation>
    </message>
    <message>
        <source>Custom size {width} × {height} is over the {side} × {side} budget in this mode; reduced to {new_width} × {new_height}.</source>
        <translation>自定义尺寸 {width} × {height} 超出当前模式的 {side} × {side} 上限；已缩小为 {new_width} × {new_height}。</translation>
    </message>
    <message>
        <source>Size {size} switched to 2K: {reason}</source>
        <translation>尺寸 {size} 已切换为 2K：{reason}</translation>
    </message>
    <message>
        <source>{low}–{high} (a ceiling: the set may have fewer)</source>
        <translation>{low}–{high}（上限：组图可能更少）</translation>
    </message>
    <message>
        <source>An extra reasoning step: better quality, longer wait (text to image only)</source>
        <translation>额外的推理步骤：效果更好，等待更久（仅限文生图）</translation>
    </message>
    <message>
        <source>Thinking mode does not apply with reference images: kept, not sent.</source>
        <translation>使用参考图时思考模式不适用：已保留，不会发送。</translation>
    </message>
    <message>
        <source>Thinking mode does not apply to image sets: kept, not sent.</source>
        <translation>思考模式不适用于组图：已保留，不会发送。</translation>
    </message>
    <message numerus="yes">
        <source>%n reference images</source>
        <translation>
            <numerusform>%n 张参考图</numerusform>
        </translation>
    </message>
    <message>
        <source>no reference images</source>
        <translation>无参考图</translation>
    </message>
    <message>
        <source>Automatic (recommended)</source>
        <translation>自动（推荐）</translation>
    </message>
    <message>
        <source>Sends a task and checks on it closely: the images arrive about as soon as with Synchronous, and nothing paid for is lost if the app closes</source>
        <translation>提交任务并密切查询：图片几乎与同步模式一样快到达，即使应用关闭，已付费的结果也不会丢失</translation>
    </message>
    <message>
        <source>One call that returns the images</source>
        <translation>一次调用直接返回图片</translation>
    </message>
    <message>
        <source>Creates a task and checks on it every 5 to 10 seconds</source>
        <translation>创建任务，每 5 到 10 秒查询一次</translation>
    </message>
    <message>
        <source>Request mode note</source>
        <translation>请求方式说明</translation>
    </message>
    <message>
        <source>A sync job cannot be recovered if the app dies mid-request.</source>
        <translation>同步任务在请求途中若应用退出，将无法恢复。</translation>
    </message>
    <message>
        <source>With a preset the service picks the aspect ratio (not always square); choose a custom size for an exact frame.</source>
        <translation>使用预设尺寸时由服务决定宽高比（不一定是正方形）；需要精确画幅请选择自定义尺寸。</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>Newest result, large</source>
        <translation>最新结果（大图）</translation>
    </message>
    <message>
        <source>The newest result appears here, large.</source>
        <translation>最新结果会以大图显示在这里。</translation>
    </message>
    <message>
        <source>About the image shown</source>
        <translation>所显示图片的信息</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open in the viewer</source>
        <translation>在查看器中打开</translation>
    </message>
    <message>
        <source>Open this image in the viewer: zoom, details, compare (Enter)</source>
        <translation>在查看器中打开此图片：缩放、详情、对比（Enter）</translation>
    </message>
</context>
<context>
    <name>PromptEditor</name>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Describe the image to generate or the edit to make. Ctrl+Enter generates.</source>
        <translation>描述要生成的图片或要进行的编辑。按 Ctrl+Enter 生成。</translation>
    </message>
    <message>
        <source>Describe the image, or the edit to make to the reference images…

Refer to references as “image 1”, “image 2” (or 图1). Ctrl+Enter generates.</source>
        <translation>描述想要的图片，或要对参考图做的编辑…

用“图1”“图2”指代参考图。按 Ctrl+Enter 生成。</translation>
    </message>
</context>
<context>
    <name>PromptHistoryPopup</name>
    <message>
        <source>Prompt history</source>
        <translation>提示词历史</translation>
    </message>
    <message>
        <source>Search prompt history</source>
        <translation>搜索提示词历史</translation>
    </message>
    <message>
        <source>Search earlier prompts…</source>
        <translation>搜索以前的提示词…</translation>
    </message>
    <message>
        <source>Earlier prompts</source>
        <translation>以前的提示词</translation>
    </message>
    <message>
        <source>Use prompt</source>
        <translation>使用提示词</translation>
    </message>
    <message>
        <source>No earlier prompt matches.</source>
        <translation>没有匹配的历史提示词。</translation>
    </message>
</context>
<context>
    <name>PromptSection</name>
    <message>
        <source>Insert image reference</source>
        <translation>插入参考图引用</translation>
    </message>
    <message>
        <source>Insert “image N” for a reference image at the cursor</source>
        <translation>在光标处插入参考图引用“图N”</translation>
    </message>
    <message>
        <source>Insert image ref</source>
        <translation>插入参考图</translation>
    </message>
    <message>
        <source>Prompt history</source>
        <translation>提示词历史</translation>
    </message>
    <message>
        <source>Search earlier prompts (Ctrl+R); Ctrl+Up / Ctrl+Down recall them</source>
        <translation>搜索以前的提示词（Ctrl+R）；Ctrl+Up / Ctrl+Down 逐条调出</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>历史…</translation>
    </message>
    <message>
        <source>Prompt length</source>
        <translation>提示词长度</translation>
    </message>
    <message>
        <source>Prompt problem</source>
        <translation>提示词问题</translation>
    </message>
    <message>
        <source>Add reference images first, then refer to them as “image 1”, “image 2”…</source>
        <translation>请先添加参考图，再用“图1”“图2”…引用它们</translation>
    </message>
    <message>
        <source>image {number}  —  {name}</source>
        <translation>图{number}  —  {name}</translation>
    </message>
    <message>
        <source>The prompt is {over:,} characters over the {limit:,} limit; shorten it (the service would cut the rest).</source>
        <translation>提示词超出 {limit:,} 字的上限 {over:,} 字；请缩短（否则服务端会截掉多余部分）。</translation>
    </message>
    <message>
        <source>The prompt still refers to a removed image (marked “[removed image N]”); edit or delete that reference.</source>
        <translation>提示词仍引用了已移除的图片（标记为“[已删除的图N]”）；请修改或删除该引用。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>image {number}</source>
        <translation>图{number}</translation>
    </message>
    <message numerus="yes">
        <source>The prompt mentions {names}, but only %n reference images are attached.</source>
        <translation>
            <numerusform>提示词提到了{names}，但只添加了 %n 张参考图。</numerusform>
        </translation>
    </message>
    <message>
        <source>The prompt mentions {names}, but there are no reference images.</source>
        <translation>提示词提到了{names}，但没有添加参考图。</translation>
    </message>
    <message>
        <source>{count} of {limit} characters</source>
        <translation>{count} / {limit} 字</translation>
    </message>
</context>
<context>
    <name>ReferenceCheck</name>
    <message>
        <source>{name} is empty (0 bytes).</source>
        <translation>{name} 是空文件（0 字节）。</translation>
    </message>
    <message>
        <source>The file was probably not saved or copied completely.</source>
        <translation>该文件可能没有完整保存或复制。</translation>
    </message>
    <message>
        <source>{name} is not an image: its content is not JPEG, PNG, BMP or WebP data.</source>
        <translation>{name} 不是图片：其内容不是 JPEG、PNG、BMP 或 WebP 数据。</translation>
    </message>
    <message>
        <source>Pick an image file; renaming a file does not convert it.</source>
        <translation>请选择图片文件；仅修改文件扩展名并不能转换格式。</translation>
    </message>
    <message>
        <source>{format} is not supported; use JPEG, PNG, BMP or WebP.</source>
        <translation>不支持 {format} 格式；请使用 JPEG、PNG、BMP 或 WebP。</translation>
    </message>
    <message>
        <source>Convert the {format} image to JPEG or PNG in an image editor, then add it again.</source>
        <translation>请在图片编辑器中将这张 {format} 图片转换为 JPEG 或 PNG，然后重新添加。</translation>
    </message>
    <message>
        <source>{name} is damaged: its {format} header cannot be read{reason}.</source>
        <translation>{name} 已损坏：无法读取其 {format} 文件头{reason}。</translation>
    </message>
    <message>
        <source>Re-export or re-download the image.</source>
        <translation>请重新导出或重新下载这张图片。</translation>
    </message>
    <message>
        <source>{name} is damaged: {detail} (the file is truncated).</source>
        <translation>{name} 已损坏：{detail}（文件不完整）。</translation>
    </message>
    <message>
        <source>Re-export or re-download the image; the copy is incomplete.</source>
        <translation>请重新导出或重新下载这张图片；当前副本不完整。</translation>
    </message>
    <message>
        <source>Image is {w}×{h} px ({mp:,.0f} megapixels); at most {limit:,.0f} megapixels can be decoded safely.</source>
        <translation>图片为 {w}×{h} px（{mp:,.0f} 百万像素）；最多只能安全解码 {limit:,.0f} 百万像素。</translation>
    </message>
    <message>
        <source>Reduce the image to at most 8000 px per side in an image editor.</source>
        <translation>请在图片编辑器中将图片缩小到每边不超过 8000 px。</translation>
    </message>
    <message>
        <source>Image is {w}×{h} px; each side must be at least {min} px (allowed {min}–{max} px).</source>
        <translation>图片为 {w}×{h} px；每边至少需要 {min} px（允许范围为 {min}–{max} px）。</translation>
    </message>
    <message>
        <source>Use a larger image; small images cannot be upscaled without losing detail.</source>
        <translation>请使用更大的图片；小图放大后会损失细节。</translation>
    </message>
    <message>
        <source>Aspect ratio is {ratio} ({w}×{h} px); it must be between 1:8 and 8:1.</source>
        <translation>宽高比为 {ratio}（{w}×{h} px）；必须介于 1:8 和 8:1 之间。</translation>
    </message>
    <message>
        <source>Crop the image to a less extreme shape.</source>
        <translation>请裁剪图片，使宽高比不那么极端。</translation>
    </message>
    <message>
        <source>longest side at most {px} px</source>
        <translation>最长边不超过 {px} px</translation>
    </message>
    <message>
        <source>; the service accepts at most {px} px</source>
        <translation>；服务端最多接受 {px} px</translation>
    </message>
    <message>
        <source>Will be downscaled from {w}×{h} to {tw}×{th} px ({why}).</source>
        <translation>将从 {w}×{h} 缩小到 {tw}×{th} px（{why}）。</translation>
    </message>
    <message>
        <source> (the service accepts at most {size})</source>
        <translation>（服务端最多接受 {size}）</translation>
    </message>
    <message>
        <source>The file is {size}; it will be re-encoded to fit the {budget} request budget{over}.</source>
        <translation>文件大小为 {size}；将重新编码以符合 {budget} 的请求大小上限{over}。</translation>
    </message>
    <message>
        <source>Transparency will be flattened onto white (the service does not accept alpha).</source>
        <translation>透明区域将以白色填充（服务端不接受透明通道）。</translation>
    </message>
    <message>
        <source>CMYK colour will be converted to RGB.</source>
        <translation>CMYK 颜色将转换为 RGB。</translation>
    </message>
    <message>
        <source>16-bit colour will be converted to 8-bit RGB.</source>
        <translation>16 位色深将转换为 8 位 RGB。</translation>
    </message>
    <message>
        <source>Will be turned upright from its EXIF orientation (stored as {w}×{h} px).</source>
        <translation>将按 EXIF 方向信息转正（存储尺寸为 {w}×{h} px）。</translation>
    </message>
    <message>
        <source>Only the first frame of this animated WebP will be sent.</source>
        <translation>这张 WebP 动图只会发送第一帧。</translation>
    </message>
    <message>
        <source>The file is a {format} image although its name ends in {suffix}.</source>
        <translation>该文件是 {format} 图片，但文件名以 {suffix} 结尾。</translation>
    </message>
    <message>
        <source>the PNG data ends before its IEND chunk</source>
        <translation>PNG 数据在 IEND 块之前就结束了</translation>
    </message>
    <message>
        <source>the JPEG has no image data (no start-of-scan marker)</source>
        <translation>JPEG 中没有图像数据（缺少扫描起始标记）</translation>
    </message>
    <message>
        <source>the JPEG data ends before its end-of-image marker</source>
        <translation>JPEG 数据在图像结束标记之前就结束了</translation>
    </message>
    <message>
        <source>the WebP header declares {declared} bytes but the file has {size}</source>
        <translation>WebP 文件头声明了 {declared} 字节，但文件只有 {size} 字节</translation>
    </message>
    <message>
        <source>the BMP header declares {declared} bytes but the file has {size}</source>
        <translation>BMP 文件头声明了 {declared} 字节，但文件只有 {size} 字节</translation>
    </message>
</context>
<context>
    <name>ReferenceItem</name>
    <message>
        <source>Pasted image</source>
        <translation>粘贴的图片</translation>
    </message>
</context>
<context>
    <name>ReferenceStrip</name>
    <message>
        <source>Reference images</source>
        <translation>参考图</translation>
    </message>
    <message>
        <source>Add reference images</source>
        <translation>添加参考图</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Choose image files (or drop them here, or paste with Ctrl+V)</source>
        <translation>选择图片文件（也可拖放到这里，或按 Ctrl+V 粘贴）</translation>
    </message>
    <message>
        <source>Edit region boxes</source>
        <translation>编辑区域框</translation>
    </message>
    <message>
        <source>Boxes…</source>
        <translation>区域框…</translation>
    </message>
    <message>
        <source>Open reference large</source>
        <translation>放大查看参考图</translation>
    </message>
    <message>
        <source>View</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Open the selected image large (double click)</source>
        <translation>放大查看选中的图片（双击）</translation>
    </message>
    <message>
        <source>Remove reference image</source>
        <translation>移除参考图</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected image (Del)</source>
        <translation>移除选中的图片（Del）</translation>
    </message>
    <message>
        <source>Reference image count</source>
        <translation>参考图数量</translation>
    </message>
    <message>
        <source>Reference images message</source>
        <translation>参考图提示</translation>
    </message>
    <message>
        <source>Draw up to {count} region boxes on the selected image (B)</source>
        <translation>在选中的图片上最多画 {count} 个区域框（B）</translation>
    </message>
    <message>
        <source>Not added: at most {limit} reference images are allowed. Remove one to add another.</source>
        <translation>未添加：最多只能有 {limit} 张参考图。请先移除一张再添加。</translation>
    </message>
    <message numerus="yes">
        <source>Only {limit} reference images are allowed: %n images were not added.</source>
        <translation>
            <numerusform>最多只能有 {limit} 张参考图：有 %n 张图片未添加。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to add ({reasons}): drop or paste image files, web images or image data.</source>
        <translation>没有可添加的内容（{reasons}）：请拖放或粘贴图片文件、网络图片或图片数据。</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Nothing to add: drop or paste image files, web images or image data.</source>
        <translation>没有可添加的内容：请拖放或粘贴图片文件、网络图片或图片数据。</translation>
    </message>
    <message>
        <source>Skipped: {reasons}.</source>
        <translation>已跳过：{reasons}。</translation>
    </message>
    <message>
        <source>The clipboard holds no image, image file or image URL.</source>
        <translation>剪贴板中没有图片、图片文件或图片 URL。</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp);;All files (*)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>image {number}: {name} (problem)</source>
        <translation>图{number}：{name}（有问题）</translation>
    </message>
    <message>
        <source>image {number}: {name}</source>
        <translation>图{number}：{name}</translation>
    </message>
    <message>
        <source>No reference images: text to image.</source>
        <translation>没有参考图：文生图。</translation>
    </message>
    <message>
        <source>Select a reference image to draw region boxes on it.</source>
        <translation>请先选中一张参考图，再在上面画区域框。</translation>
    </message>
    <message>
        <source>Region boxes do not apply in this mode.</source>
        <translation>当前模式不使用区域框。</translation>
    </message>
    <message>
        <source>Region boxes need a local image (its pixel size); web images cannot take boxes.</source>
        <translation>区域框需要本地图片（以确定像素尺寸）；网络图片不能添加区域框。</translation>
    </message>
    <message>
        <source>This image is still being checked, or cannot be read.</source>
        <translation>这张图片仍在检查中，或无法读取。</translation>
    </message>
    <message>
        <source>The dropped image could not be saved: {reason}</source>
        <translation>无法保存拖入的图片：{reason}</translation>
    </message>
    <message>
        <source>Web images are downloaded by the service; there is nothing local to show.</source>
        <translation>网络图片由服务端下载；本地没有可显示的内容。</translation>
    </message>
    <message>
        <source>image {number} — {name}</source>
        <translation>图{number} — {name}</translation>
    </message>
    <message>
        <source>image {number} ({name})</source>
        <translation>图{number}（{name}）</translation>
    </message>
    <message>
        <source>Cannot show the image: {reason}</source>
        <translation>无法显示图片：{reason}</translation>
    </message>
    <message>
        <source>Add images…</source>
        <translation>添加图片…</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Open large</source>
        <translation>放大查看</translation>
    </message>
    <message>
        <source>Region boxes…</source>
        <translation>区域框…</translation>
    </message>
    <message>
        <source>Use its colours for the palette</source>
        <translation>用它的颜色作为调色板</translation>
    </message>
    <message>
        <source>Insert “image {number}” in the prompt</source>
        <translation>在提示词中插入“图{number}”</translation>
    </message>
    <message>
        <source>Move left</source>
        <translation>左移</translation>
    </message>
    <message>
        <source>Move right</source>
        <translation>右移</translation>
    </message>
</context>
<context>
    <name>ReferenceTiles</name>
    <message>
        <source>Reference image thumbnails</source>
        <translation>参考图缩略图</translation>
    </message>
    <message>
        <source>Add reference images (or drop files, image URLs or image data here; Ctrl+V pastes)</source>
        <translation>添加参考图（也可将文件、图片 URL 或图片数据拖放到这里；Ctrl+V 粘贴）</translation>
    </message>
    <message>
        <source>image {number}</source>
        <translation>图{number}</translation>
    </message>
    <message>
        <source>A web image: the service downloads and checks it when you generate.</source>
        <translation>网络图片：生成时由服务端下载并检查。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message numerus="yes">
        <source>%n region boxes</source>
        <translation>
            <numerusform>%n 个区域框</numerusform>
        </translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Drop up to {count} images here — files, web images or image data — or paste with Ctrl+V. No images: text to image.</source>
        <translation>最多可拖放 {count} 张图片到这里——文件、网络图片或图片数据——或按 Ctrl+V 粘贴。没有图片时为文生图。</translation>
    </message>
</context>
<context>
    <name>ReferenceViewer</name>
    <message>
        <source>Reference image viewer</source>
        <translation>参考图查看器</translation>
    </message>
</context>
<context>
    <name>RemoteTasksDialog</name>
    <message>
        <source>Tasks at the Service</source>
        <translation>服务端任务</translation>
    </message>
    <message>
        <source>Tasks at the service</source>
        <translation>服务端任务</translation>
    </message>
    <message>
        <source>Your account&apos;s Wan 2.7 tasks of the last 24 hours, as the service lists them. Fetch one that is not in this library to save its images; the service keeps a task for 24 hours.</source>
        <translation>服务端列出的您账号最近 24 小时内的 Wan 2.7 任务。获取本图库中没有的任务即可保存其图片；服务端只保留任务 24 小时。</translation>
    </message>
    <message>
        <source>Task id</source>
        <translation>任务 ID</translation>
    </message>
    <message>
        <source>Task id, e.g. 8811b4a4-…</source>
        <translation>任务 ID，例如 8811b4a4-…</translation>
    </message>
    <message>
        <source>&amp;Fetch</source>
        <translation>获取(&amp;F)</translation>
    </message>
    <message>
        <source>Fetch the task with this id</source>
        <translation>获取此 ID 的任务</translation>
    </message>
    <message>
        <source>Create a job for this task of your key and save its images</source>
        <translation>为您密钥下的此任务创建作业并保存其图片</translation>
    </message>
    <message>
        <source>Task &amp;id:</source>
        <translation>任务 ID(&amp;I)：</translation>
    </message>
    <message>
        <source>Task id problem</source>
        <translation>任务 ID 问题</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>In this library</source>
        <translation>本图库中</translation>
    </message>
    <message>
        <source>Task list status</source>
        <translation>任务列表状态</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Refresh the task list</source>
        <translation>刷新任务列表</translation>
    </message>
    <message>
        <source>Fetch &amp;Selected</source>
        <translation>获取所选(&amp;S)</translation>
    </message>
    <message>
        <source>Fetch the selected task</source>
        <translation>获取所选任务</translation>
    </message>
    <message>
        <source>Create a job for the selected task and save its images</source>
        <translation>为所选任务创建作业并保存其图片</translation>
    </message>
    <message>
        <source>Asking the service for your recent tasks…</source>
        <translation>正在向服务端查询最近的任务…</translation>
    </message>
    <message>
        <source>Job {id}</source>
        <translation>作业 {id}</translation>
    </message>
    <message>
        <source>Not here: made when job {id}&apos;s answer was lost; fetching it carries it on there</source>
        <translation>不在此库中：创建于任务 {id} 应答丢失之时；获取后会在该任务中继续</translation>
    </message>
    <message>
        <source>Not here: made when the answers of jobs {ids} were lost; it could be any one&apos;s</source>
        <translation>不在此库中：创建于任务 {ids} 应答丢失之时；可能属于其中任何一个</translation>
    </message>
    <message>
        <source>Not here</source>
        <translation>不在本地</translation>
    </message>
    <message>
        <source>No Wan 2.7 tasks at the service in the last 24 hours.</source>
        <translation>最近 24 小时内服务端没有 Wan 2.7 任务。</translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) are not in this library: select one and choose Fetch Selected.</source>
        <translation>
            <numerusform>有 %n 个任务不在本图库中：选中一个后点“获取所选”。</numerusform>
        </translation>
    </message>
    <message>
        <source>Every task listed is in this library.</source>
        <translation>列出的任务都已在本图库中。</translation>
    </message>
    <message>
        <source>The task list could not be read: {reason}</source>
        <translation>无法读取任务列表：{reason}</translation>
    </message>
    <message>
        <source>That is not a task id: letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, as the service gave it.</source>
        <translation>这不是任务 ID：应为服务给出的字母、数字、“-”、“_”和“.”。</translation>
    </message>
    <message>
        <source>Fetching task {task}: it appears in the job queue and its images in the gallery.</source>
        <translation>正在获取任务 {task}：它会出现在任务队列中，图片会出现在图库中。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>Custom endpoint</source>
        <translation>自定义接入地址</translation>
    </message>
    <message>
        <source>Default for the region</source>
        <translation>使用地域的默认地址</translation>
    </message>
    <message>
        <source>A gateway or proxy base URL ending in /api/v1. https is required except for localhost. Leave empty to use the region&apos;s host.</source>
        <translation>以 /api/v1 结尾的网关或代理地址。除 localhost 外必须使用 https。留空则使用所选地域的地址。</translation>
    </message>
    <message>
        <source>Endpoint problem</source>
        <translation>接入地址问题</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>地域(&amp;R)：</translation>
    </message>
    <message>
        <source>Custom &amp;endpoint:</source>
        <translation>自定义接入地址(&amp;E)：</translation>
    </message>
    <message>
        <source>Key source</source>
        <translation>密钥来源</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Re&amp;place…</source>
        <translation>更换(&amp;P)…</translation>
    </message>
    <message>
        <source>Replace key</source>
        <translation>更换密钥</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>Remove key</source>
        <translation>移除密钥</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>密钥：</translation>
    </message>
    <message>
        <source>Jobs at a time</source>
        <translation>同时运行的任务数</translation>
    </message>
    <message>
        <source>How many jobs run at once. The service allows {0} tasks in progress per account.</source>
        <translation>同时运行多少个任务。服务端每个账号最多允许 {0} 个进行中的任务。</translation>
    </message>
    <message>
        <source>Default request mode</source>
        <translation>默认请求方式</translation>
    </message>
    <message>
        <source>Synchronous (result in the response)</source>
        <translation>同步（结果随响应返回）</translation>
    </message>
    <message>
        <source>Asynchronous (task, polled)</source>
        <translation>异步（创建任务并轮询）</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Jobs at a &amp;time:</source>
        <translation>同时运行的任务数(&amp;T)：</translation>
    </message>
    <message>
        <source>Request &amp;mode:</source>
        <translation>请求方式(&amp;M)：</translation>
    </message>
    <message>
        <source>Library folder</source>
        <translation>图库文件夹</translation>
    </message>
    <message>
        <source>Mo&amp;ve…</source>
        <translation>移动(&amp;V)…</translation>
    </message>
    <message>
        <source>Move library</source>
        <translation>移动图库</translation>
    </message>
    <message>
        <source>Move the library and all its images to another folder</source>
        <translation>将图库及其中所有图片移动到其他文件夹</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>图库</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>T&amp;heme:</source>
        <translation>主题(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Looking up the key…</source>
        <translation>正在查找密钥…</translation>
    </message>
    <message>
        <source>DASHSCOPE_API_KEY environment variable (not saved)</source>
        <translation>环境变量 DASHSCOPE_API_KEY（不保存）</translation>
    </message>
    <message>
        <source>System keyring</source>
        <translation>系统密钥环</translation>
    </message>
    <message>
        <source>This session only (forgotten when the app quits)</source>
        <translation>仅本次会话（退出应用后清除）</translation>
    </message>
    <message>
        <source>No key for this region</source>
        <translation>此地域没有密钥</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>The key comes from DASHSCOPE_API_KEY; change or unset it where the app is started.</source>
        <translation>密钥来自 DASHSCOPE_API_KEY；请在启动应用的环境中修改或取消设置。</translation>
    </message>
    <message>
        <source>Enter a different key</source>
        <translation>输入其他密钥</translation>
    </message>
    <message>
        <source>Forget the key for this region</source>
        <translation>清除此地域的密钥</translation>
    </message>
    <message>
        <source>Remove API key</source>
        <translation>移除 API 密钥</translation>
    </message>
    <message>
        <source>Remove the API key for {0} from this computer? You will need to enter it again to generate images.</source>
        <translation>从这台电脑上移除{0}的 API 密钥吗？之后生成图片时需要重新输入。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Removing the key…</source>
        <translation>正在移除密钥…</translation>
    </message>
    <message>
        <source>Move the library to</source>
        <translation>将图库移动到</translation>
    </message>
    <message>
        <source>Automatic (recommended: recoverable, about as fast)</source>
        <translation>自动（推荐：可恢复，速度相当）</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Through the menus: press these keys in turn</source>
        <translation>通过菜单：依次按下这些键</translation>
    </message>
    <message>
        <source>Gallery</source>
        <translation>图库</translation>
    </message>
    <message>
        <source>Job queue</source>
        <translation>任务队列</translation>
    </message>
    <message>
        <source>Generation panel</source>
        <translation>生成面板</translation>
    </message>
    <message>
        <source>Main window</source>
        <translation>主窗口</translation>
    </message>
    <message>
        <source>Rate the selected images 1 to 5 stars</source>
        <translation>给选中的图片评 1 到 5 星</translation>
    </message>
    <message>
        <source>Clear the rating</source>
        <translation>清除评分</translation>
    </message>
    <message>
        <source>Mark or unmark as favourite</source>
        <translation>收藏或取消收藏</translation>
    </message>
    <message>
        <source>Move to the trash</source>
        <translation>移到回收站</translation>
    </message>
    <message>
        <source>Undo the last rating, favourite or trash</source>
        <translation>撤销上一次评分、收藏或删除</translation>
    </message>
    <message>
        <source>Open the current image in the viewer</source>
        <translation>在查看器中打开当前图片</translation>
    </message>
    <message>
        <source>Open / close the image set under the cursor (or click its ▣ badge)</source>
        <translation>展开 / 收起当前组图（或点击其 ▣ 标记）</translation>
    </message>
    <message>
        <source>Move between images</source>
        <translation>在图片之间移动</translation>
    </message>
    <message>
        <source>Extend the selection</source>
        <translation>扩展选择</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Previous prompt from the history</source>
        <translation>历史中的上一个提示词</translation>
    </message>
    <message>
        <source>Next prompt from the history</source>
        <translation>历史中的下一个提示词</translation>
    </message>
    <message>
        <source>Search the prompt history</source>
        <translation>搜索提示词历史</translation>
    </message>
    <message>
        <source>Reference images</source>
        <translation>参考图</translation>
    </message>
    <message>
        <source>Paste an image as a reference</source>
        <translation>粘贴图片作为参考图</translation>
    </message>
    <message>
        <source>Select the previous or next reference</source>
        <translation>选择上一张或下一张参考图</translation>
    </message>
    <message>
        <source>Move the selected reference</source>
        <translation>移动选中的参考图</translation>
    </message>
    <message>
        <source>Open the selected reference</source>
        <translation>打开选中的参考图</translation>
    </message>
    <message>
        <source>Draw boxes on the selected reference</source>
        <translation>在选中的参考图上画区域框</translation>
    </message>
    <message>
        <source>Remove the selected reference</source>
        <translation>移除选中的参考图</translation>
    </message>
    <message>
        <source>Box editor</source>
        <translation>区域框编辑器</translation>
    </message>
    <message>
        <source>Nudge the selected box by one pixel</source>
        <translation>将选中的框移动 1 像素</translation>
    </message>
    <message>
        <source>Nudge the selected box by ten pixels</source>
        <translation>将选中的框移动 10 像素</translation>
    </message>
    <message>
        <source>Delete the selected box</source>
        <translation>删除选中的框</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>查看器</translation>
    </message>
    <message>
        <source>Previous image</source>
        <translation>上一张图片</translation>
    </message>
    <message>
        <source>Next image</source>
        <translation>下一张图片</translation>
    </message>
    <message>
        <source>Fit to the window</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Actual size (100%)</source>
        <translation>实际大小（100%）</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Compare with the next image</source>
        <translation>与下一张图片对比</translation>
    </message>
    <message>
        <source>Reuse the prompt</source>
        <translation>复用提示词</translation>
    </message>
    <message>
        <source>Reuse all parameters</source>
        <translation>复用全部参数</translation>
    </message>
    <message>
        <source>Close the viewer</source>
        <translation>关闭查看器</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>键盘</translation>
    </message>
    <message>
        <source>Every command is also in the menus. Keys listed under a panel work while that panel has the keyboard focus.</source>
        <translation>所有命令也都在菜单中。某个面板下列出的按键，仅在该面板获得键盘焦点时有效。</translation>
    </message>
    <message>
        <source>Filter shortcuts</source>
        <translation>筛选快捷键</translation>
    </message>
    <message>
        <source>Filter by command or key…</source>
        <translation>按命令或按键筛选…</translation>
    </message>
    <message>
        <source>Commands and their keys</source>
        <translation>命令及其按键</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>No command or key matches “%1”.</source>
        <translation>没有与“%1”匹配的命令或按键。</translation>
    </message>
</context>
<context>
    <name>SpendLimitsBox</name>
    <message>
        <source>Spending limits (CNY)</source>
        <translation>花费上限（人民币）</translation>
    </message>
    <message>
        <source>per day</source>
        <translation>每天</translation>
    </message>
    <message>
        <source>per month</source>
        <translation>每月</translation>
    </message>
    <message>
        <source>{region}: limit {period}</source>
        <translation>{region}：{period}上限</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>无上限</translation>
    </message>
    <message>
        <source>{region}:</source>
        <translation>{region}：</translation>
    </message>
    <message>
        <source>Spending limit problem</source>
        <translation>花费上限问题</translation>
    </message>
    <message>
        <source>A job or batch that would cross a limit asks before anything is sent.</source>
        <translation>会超出上限的任务或批量任务在发送前会先询问。</translation>
    </message>
    <message>
        <source>Type an amount such as 20 or 12.50, or leave it empty.</source>
        <translation>请输入金额，例如 20 或 12.50，或留空。</translation>
    </message>
</context>
<context>
    <name>Stage</name>
    <message>
        <source>Queued: being written to the journal</source>
        <translation>排队中：正在写入任务日志</translation>
    </message>
    <message>
        <source>Not sent: the window or command that queued it has ended; nothing was billed</source>
        <translation>未发送：将它排入队列的窗口或命令已结束；未产生费用</translation>
    </message>
    <message>
        <source>Paused: {reason}</source>
        <translation>已暂停：{reason}</translation>
    </message>
    <message>
        <source>Paused: resumes at the next start, or with Jobs ▸ Resume Unfinished Jobs</source>
        <translation>已暂停：下次启动时继续，或使用“任务 ▸ 继续未完成的任务”</translation>
    </message>
    <message>
        <source>Rate-limited: retrying at {time} (in {seconds} s)</source>
        <translation>已限流：将于 {time} 重试（{seconds} 秒后）</translation>
    </message>
    <message>
        <source>, attempt {attempt}</source>
        <translation>，第 {attempt} 次尝试</translation>
    </message>
    <message>
        <source>Queued: waiting for a free slot</source>
        <translation>排队中：等待空闲名额</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <source>At the service: pending</source>
        <translation>服务端：排队中</translation>
    </message>
    <message>
        <source>At the service: running</source>
        <translation>服务端：生成中</translation>
    </message>
    <message>
        <source>Downloading image {number} of {count}</source>
        <translation>正在下载第 {number} 张（共 {count} 张）</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Partly done: {done} of {count} images</source>
        <translation>部分完成：{done} / {count} 张</translation>
    </message>
    <message>
        <source>{phase} · in another window or the wan27 command</source>
        <translation>{phase} · 在另一个窗口或 wan27 命令中</translation>
    </message>
    <message>
        <source>Cancel requested: waiting for the service to confirm</source>
        <translation>已请求取消：等待服务确认</translation>
    </message>
    <message>
        <source>Sent: the service answers once the images are made (it cannot be stopped now)</source>
        <translation>已发送：服务在图片生成后才会回复（现在无法停止）</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Rate-limited</source>
        <translation>已限流</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>The service has not started this task: canceling it costs nothing.</source>
        <translation>服务尚未开始此任务：取消不会产生费用。</translation>
    </message>
    <message>
        <source>The service is already running this task and cancels only tasks that have not started: it will most likely be billed, and its images are saved either way.</source>
        <translation>服务已在运行此任务，而它只能取消尚未开始的任务：很可能会计费；无论如何，生成的图片都会保存。</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>生成中</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>Not returned</source>
        <translation>未返回</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Not sent yet: canceling it costs nothing.</source>
        <translation>尚未发送：取消不产生费用。</translation>
    </message>
</context>
<context>
    <name>StagePanel</name>
    <message>
        <source>Generation stage</source>
        <translation>生成舞台</translation>
    </message>
    <message>
        <source>Generating</source>
        <translation>生成中</translation>
    </message>
    <message>
        <source>Jobs on the stage</source>
        <translation>舞台上的任务</translation>
    </message>
    <message>
        <source>Larger stage</source>
        <translation>放大舞台</translation>
    </message>
    <message>
        <source>Give the stage most of the height, to see the newest result large</source>
        <translation>让舞台占据大部分高度，以大图查看最新结果</translation>
    </message>
    <message>
        <source>Larger</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Hide the stage</source>
        <translation>隐藏舞台</translation>
    </message>
    <message>
        <source>Hide the stage until the next job (jobs go on running)</source>
        <translation>隐藏舞台直到下一个任务（任务继续运行）</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Jobs of this session</source>
        <translation>本次会话的任务</translation>
    </message>
    <message>
        <source>Job {job}, image {number} of {count}</source>
        <translation>任务 {job}，第 {number} 张（共 {count} 张）</translation>
    </message>
    <message>
        <source>Image {id}</source>
        <translation>图片 {id}</translation>
    </message>
    <message numerus="yes">
        <source>%n finished</source>
        <translation>
            <numerusform>%n 个已结束</numerusform>
        </translation>
    </message>
    <message>
        <source>Latest results</source>
        <translation>最新结果</translation>
    </message>
    <message>
        <source>Smaller</source>
        <translation>缩小</translation>
    </message>
</context>
<context>
    <name>ThumbnailDelegate</name>
    <message>
        <source>▣ {position}/{size}</source>
        <translation>▣ {position}/{size}</translation>
    </message>
    <message>
        <source>▣ {size}</source>
        <translation>▣ {size}</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
</context>
<context>
    <name>ValidationIssue</name>
    <message>
        <source>The prompt is empty; describe the image or the edit you want.</source>
        <translation>提示词为空；请描述你想要的图片或编辑。</translation>
    </message>
    <message>
        <source>The prompt has {count:,} characters; the limit is {limit:,} (the service would silently cut the rest).</source>
        <translation>提示词有 {count:,} 字，上限为 {limit:,} 字（超出部分会被服务端直接截掉）。</translation>
    </message>
    <message>
        <source>The prompt contains invisible control characters; remove them.</source>
        <translation>提示词中含有不可见的控制字符；请将其删除。</translation>
    </message>
    <message>
        <source>Unknown model {model!r}; use one of {allowed}.</source>
        <translation>未知模型 {model!r}；请使用以下之一：{allowed}。</translation>
    </message>
    <message>
        <source>{count} reference images; at most {limit} are allowed.</source>
        <translation>共 {count} 张参考图；最多允许 {limit} 张。</translation>
    </message>
    <message>
        <source>Image {index} has no file or URL.</source>
        <translation>图{index}没有文件或 URL。</translation>
    </message>
    <message>
        <source>Region boxes cannot be used with image sets; turn off the image set or remove the boxes.</source>
        <translation>组图不能使用区域框；请关闭组图或删除区域框。</translation>
    </message>
    <message>
        <source>Image {index} has {count} boxes; at most {limit} per image are allowed.</source>
        <translation>图{index}有 {count} 个区域框；每张图最多允许 {limit} 个。</translation>
    </message>
    <message>
        <source>Box {box} on image {index} is not a rectangle with x1 &lt; x2 and y1 &lt; y2 in non-negative pixels.</source>
        <translation>图{index}上的区域框 {box} 不是有效矩形：坐标须为非负像素，且 x1 &lt; x2、y1 &lt; y2。</translation>
    </message>
    <message>
        <source>Number of images n={n!r} is out of range; in image-set mode it must be {low}-{high}.</source>
        <translation>图片数量 n={n!r} 超出范围；组图模式下必须为 {low}-{high}。</translation>
    </message>
    <message>
        <source>Number of images n={n!r} is out of range; without image set it must be {low}-{high}.</source>
        <translation>图片数量 n={n!r} 超出范围；不使用组图时必须为 {low}-{high}。</translation>
    </message>
    <message>
        <source>Size {size!r} is not 1K, 2K, 4K or a custom width*height such as 1536*1024.</source>
        <translation>尺寸 {size!r} 无效：应为 1K、2K、4K，或自定义的 宽*高（如 1536*1024）。</translation>
    </message>
    <message>
        <source>Size {width}*{height} must have positive sides.</source>
        <translation>尺寸 {width}*{height} 的边长必须为正数。</translation>
    </message>
    <message>
        <source>Size {width}*{height} has {pixels:,} pixels; {model} in {mode} mode allows 768*768 ({minimum:,}) to {side}*{side} ({budget:,}).</source>
        <translation>尺寸 {width}*{height} 共 {pixels:,} 像素；{model} 在 {mode} 模式下允许 768*768（{minimum:,}）到 {side}*{side}（{budget:,}）。</translation>
    </message>
    <message>
        <source>Size {width}*{height} is wider than 1:8 or 8:1; choose a less extreme aspect ratio.</source>
        <translation>尺寸 {width}*{height} 的宽高比超出 1:8 或 8:1；请选择不那么极端的宽高比。</translation>
    </message>
    <message>
        <source>4K needs wan2.7-image-pro; wan2.7-image goes up to 2K.</source>
        <translation>4K 需要 wan2.7-image-pro；wan2.7-image 最高 2K。</translation>
    </message>
    <message>
        <source>4K needs wan2.7-image-pro text-to-image with no reference images; use 1K, 2K or W*H up to 2048*2048.</source>
        <translation>4K 仅适用于 wan2.7-image-pro 的文生图（无参考图）；请使用 1K、2K 或不超过 2048*2048 的 宽*高。</translation>
    </message>
    <message>
        <source>4K needs wan2.7-image-pro text-to-image, no image set; use 1K, 2K or W*H up to 2048*2048.</source>
        <translation>4K 仅适用于 wan2.7-image-pro 的文生图（非组图）；请使用 1K、2K 或不超过 2048*2048 的 宽*高。</translation>
    </message>
    <message>
        <source>Seed {seed!r} is out of range; use {low} to {high}, or leave it random.</source>
        <translation>种子 {seed!r} 超出范围；请使用 {low} 到 {high}，或保持随机。</translation>
    </message>
    <message>
        <source>A colour palette cannot be used with image sets; turn off the image set or clear the palette.</source>
        <translation>组图不能使用调色板；请关闭组图或清空调色板。</translation>
    </message>
    <message>
        <source>The palette has {count} colours; use {low} to {high}.</source>
        <translation>调色板有 {count} 种颜色；应为 {low} 到 {high} 种。</translation>
    </message>
    <message>
        <source>Colour {hex!r} is not #RRGGBB.</source>
        <translation>颜色 {hex!r} 不是 #RRGGBB 格式。</translation>
    </message>
    <message>
        <source>Colour {hex} has ratio {ratio}%; each must be above 0 and at most 100%.</source>
        <translation>颜色 {hex} 的占比为 {ratio}%；每种颜色的占比必须大于 0 且不超过 100%。</translation>
    </message>
    <message>
        <source>Palette ratios add up to {total}%; they must total exactly 100.00%.</source>
        <translation>调色板占比合计为 {total}%；必须正好等于 100.00%。</translation>
    </message>
    <message>
        <source>This is not a valid URL.</source>
        <translation>这不是有效的 URL。</translation>
    </message>
    <message>
        <source>Use a full URL such as https://gateway.example.com/api/v1.</source>
        <translation>请填写完整的 URL，例如 https://gateway.example.com/api/v1。</translation>
    </message>
    <message>
        <source>Plain http is only allowed for localhost; use https so the key is encrypted.</source>
        <translation>仅 localhost 允许使用明文 http；请使用 https，以便密钥加密传输。</translation>
    </message>
    <message>
        <source>Do not put credentials in the URL; the key is sent in a header.</source>
        <translation>不要在 URL 中包含凭据；密钥会通过请求头发送。</translation>
    </message>
    <message>
        <source>The endpoint cannot have a query (?…) or fragment (#…).</source>
        <translation>接入地址不能包含查询参数（?…）或片段（#…）。</translation>
    </message>
    <message>
        <source>The URL cannot contain spaces.</source>
        <translation>URL 不能包含空格。</translation>
    </message>
    <message>
        <source>The prompt contains bytes that are not UTF-8 text; save it as UTF-8 and try again.</source>
        <translation>提示词包含非 UTF-8 文本的字节；请以 UTF-8 保存后重试。</translation>
    </message>
    <message>
        <source>The endpoint must end in /api/v1, e.g. https://dashscope-intl.aliyuncs.com/api/v1; without it every request would miss.</source>
        <translation>端点必须以 /api/v1 结尾，例如 https://dashscope-intl.aliyuncs.com/api/v1；否则所有请求都会落空。</translation>
    </message>
    <message>
        <source>A group inside a group at column {column}: nested braces are not supported.</source>
        <translation>第 {column} 列出现嵌套的分组：不支持嵌套的花括号。</translation>
    </message>
    <message>
        <source>The &apos;{{&apos; at column {column} is never closed with &apos;}}&apos;.</source>
        <translation>第 {column} 列的 &apos;{{&apos; 没有用 &apos;}}&apos; 闭合。</translation>
    </message>
    <message>
        <source>The matrix makes {count} jobs; at most {limit} are allowed in one batch.</source>
        <translation>这个矩阵会生成 {count} 个任务；一个批量任务最多 {limit} 个。</translation>
    </message>
    <message>
        <source>Folder not found: {path}</source>
        <translation>找不到文件夹：{path}</translation>
    </message>
    <message>
        <source>No JPEG, PNG, BMP or WebP images in {path}.</source>
        <translation>{path} 中没有 JPEG、PNG、BMP 或 WebP 图片。</translation>
    </message>
    <message>
        <source>{name}: use a .txt (one prompt per line), .csv or .jsonl file, or a folder.</source>
        <translation>{name}：请使用 .txt（每行一个提示词）、.csv 或 .jsonl 文件，或一个文件夹。</translation>
    </message>
    <message>
        <source>File not found: {path}</source>
        <translation>找不到文件：{path}</translation>
    </message>
    <message>
        <source>Cannot read {path}: {reason}</source>
        <translation>无法读取 {path}：{reason}</translation>
    </message>
    <message>
        <source>{name} is not UTF-8 text; save it as UTF-8 and try again.</source>
        <translation>{name} 不是 UTF-8 文本；请另存为 UTF-8 后重试。</translation>
    </message>
    <message>
        <source>{name} has no rows.</source>
        <translation>{name} 没有任何行。</translation>
    </message>
    <message>
        <source>{name} has {count} rows; at most {limit} are allowed in one batch.</source>
        <translation>{name} 有 {count} 行；一个批量任务最多 {limit} 行。</translation>
    </message>
    <message>
        <source>{name} is not readable CSV: {reason}</source>
        <translation>{name} 不是可读取的 CSV：{reason}</translation>
    </message>
    <message>
        <source>{name} has no &apos;prompt&apos; column; its first line must name the columns.</source>
        <translation>{name} 没有 &apos;prompt&apos; 列；第一行必须是列名。</translation>
    </message>
    <message>
        <source>{name}, line {line}: {reason}</source>
        <translation>{name} 第 {line} 行：{reason}</translation>
    </message>
    <message>
        <source>Not valid JSON: {reason}.</source>
        <translation>不是有效的 JSON：{reason}。</translation>
    </message>
    <message>
        <source>Each line must be a JSON object with a &quot;prompt&quot;.</source>
        <translation>每行必须是一个带 &quot;prompt&quot; 的 JSON 对象。</translation>
    </message>
    <message>
        <source>The row has no prompt.</source>
        <translation>该行没有提示词。</translation>
    </message>
    <message>
        <source>The row has {count} more value(s) than the header has columns.</source>
        <translation>该行比表头多出 {count} 个值。</translation>
    </message>
    <message>
        <source>{name}: &apos;{value}&apos; is not a whole number.</source>
        <translation>{name}：&apos;{value}&apos; 不是整数。</translation>
    </message>
    <message>
        <source>{name}: &apos;{value}&apos; is not true or false.</source>
        <translation>{name}：&apos;{value}&apos; 不是 true 或 false。</translation>
    </message>
    <message>
        <source>Unknown model &apos;{value}&apos;: use &apos;pro&apos; or &apos;standard&apos;.</source>
        <translation>未知模型 &apos;{value}&apos;：请使用 &apos;pro&apos; 或 &apos;standard&apos;。</translation>
    </message>
    <message>
        <source>{name}: references are file paths or URLs.</source>
        <translation>{name}：参考图必须是文件路径或 URL。</translation>
    </message>
    <message>
        <source>Reference image not found: {path}</source>
        <translation>找不到参考图：{path}</translation>
    </message>
    <message>
        <source>Unknown model &apos;{model}&apos;: use &apos;pro&apos; or &apos;standard&apos;.</source>
        <translation>未知模型 &apos;{model}&apos;：请使用 &apos;pro&apos; 或 &apos;standard&apos;。</translation>
    </message>
    <message>
        <source>Write the instruction for every image.</source>
        <translation>请填写每张图片的指令。</translation>
    </message>
    <message>
        <source>Choose a folder of images.</source>
        <translation>请选择一个图片文件夹。</translation>
    </message>
    <message>
        <source>Choose a .txt, .csv or .jsonl file.</source>
        <translation>请选择一个 .txt、.csv 或 .jsonl 文件。</translation>
    </message>
    <message>
        <source>Write a prompt with {a|b} groups.</source>
        <translation>请写一个带 {a|b} 分组的提示词。</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a whole number.</source>
        <translation>&apos;{value}&apos; 不是整数。</translation>
    </message>
</context>
<context>
    <name>WanError</name>
    <message>
        <source>Code: {value}</source>
        <translation>错误码：{value}</translation>
    </message>
    <message>
        <source>HTTP status: {value}</source>
        <translation>HTTP 状态：{value}</translation>
    </message>
    <message>
        <source>Request id: {value}</source>
        <translation>请求 ID：{value}</translation>
    </message>
    <message>
        <source>Try again; if it keeps happening, copy the details into a bug report.</source>
        <translation>请重试；如果问题持续出现，请将详情复制到问题报告中。</translation>
    </message>
    <message>
        <source>Change the highlighted setting and try again; nothing was sent or billed.</source>
        <translation>请修改标出的设置后重试；本次未发送，也未计费。</translation>
    </message>
    <message>
        <source>Pick a JPEG, PNG, BMP or WebP image between 240 and 8000 pixels per side.</source>
        <translation>请选择每边 240 到 8000 像素的 JPEG、PNG、BMP 或 WebP 图片。</translation>
    </message>
    <message>
        <source>Check the API key and its region: a Singapore key does not work in Beijing and vice versa. Run &apos;wan27 key check&apos; or open Settings › API key.</source>
        <translation>请检查 API 密钥及其地域：新加坡的密钥不能在北京使用，反之亦然。可运行 &apos;wan27 key check&apos;，或打开“设置 › API 密钥”。</translation>
    </message>
    <message>
        <source>Activate the Wan 2.7 model for this account or workspace in the Model Studio console.</source>
        <translation>请在百炼控制台为此账号或业务空间开通 Wan 2.7 模型。</translation>
    </message>
    <message>
        <source>The account is out of funds or free quota; top up in the Alibaba Cloud console.</source>
        <translation>账号余额或免费额度已用完；请在阿里云控制台充值。</translation>
    </message>
    <message>
        <source>The prompt or an image was blocked by content moderation; change it before retrying.</source>
        <translation>提示词或图片未通过内容审核；请修改后再重试。</translation>
    </message>
    <message>
        <source>The service rejected the request; check the parameters and reference images.</source>
        <translation>服务端拒绝了请求；请检查参数和参考图。</translation>
    </message>
    <message>
        <source>The request is too large; use smaller reference images or pass them as URLs.</source>
        <translation>请求过大；请使用更小的参考图，或以 URL 方式传入。</translation>
    </message>
    <message>
        <source>The service could not fetch a reference image URL; check it is public, or use a local file.</source>
        <translation>服务端无法获取参考图 URL；请确认它可公开访问，或改用本地文件。</translation>
    </message>
    <message>
        <source>Too many requests right now; wait a minute and retry (the account allows 5 at a time).</source>
        <translation>当前请求过多；请稍等一分钟再重试（每个账号同时最多 5 个）。</translation>
    </message>
    <message>
        <source>The service had a temporary problem; retry in a moment.</source>
        <translation>服务端暂时出现问题；请稍后重试。</translation>
    </message>
    <message>
        <source>Check the internet connection (or proxy) and retry.</source>
        <translation>请检查网络连接（或代理）后重试。</translation>
    </message>
    <message>
        <source>The request may have been accepted and billed. Check the console before retrying; an async task can be looked up by its id if it was returned.</source>
        <translation>请求可能已被受理并计费。重试前请先在控制台确认；如果已返回异步任务 ID，可以用它查询任务。</translation>
    </message>
    <message>
        <source>The service&apos;s answer was garbled, often by a proxy or gateway; retry in a moment. If a generation was sent, it may already have run.</source>
        <translation>服务端的响应已损坏，通常是代理或网关造成的；请稍后重试。如果生成请求已发出，它可能已经执行。</translation>
    </message>
    <message>
        <source>Result links expire after 24 hours; generate the image again.</source>
        <translation>结果链接在 24 小时后失效；请重新生成图片。</translation>
    </message>
    <message>
        <source>Retry the download; result links stay valid for 24 hours.</source>
        <translation>请重试下载；结果链接在 24 小时内有效。</translation>
    </message>
    <message>
        <source>Tasks are kept for 24 hours; this one has expired or was never created with this key.</source>
        <translation>任务只保留 24 小时；此任务已过期，或并非用此密钥创建。</translation>
    </message>
    <message>
        <source>The task was canceled before it ran; nothing was billed.</source>
        <translation>任务在运行前已取消；未产生费用。</translation>
    </message>
    <message>
        <source>The task is still known to the service for 24 hours; resume it from the job queue.</source>
        <translation>服务端会保留此任务 24 小时；请在任务队列中继续它。</translation>
    </message>
    <message>
        <source>Canceled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>The library changed while it was being copied (another Wan 2.7 window or the wan27 command wrote to it).</source>
        <translation>复制期间图库发生了变化（另一个 Wan 2.7 窗口或 wan27 命令写入了它）。</translation>
    </message>
    <message>
        <source>Nothing was moved. Wait until nothing else uses the library, then move it again.</source>
        <translation>未移动任何内容。请等没有其他程序使用图库后再移动。</translation>
    </message>
    <message>
        <source>Choose an empty folder on a disk with enough free space.</source>
        <translation>请选择可用空间充足的磁盘上的空文件夹。</translation>
    </message>
    <message>
        <source>The library was not moved; it is still in its old folder.</source>
        <translation>图库未移动，仍在原文件夹中。</translation>
    </message>
    <message>
        <source>The move was canceled.</source>
        <translation>移动已取消。</translation>
    </message>
    <message>
        <source>The library was not moved; it is still in its old folder. Try again.</source>
        <translation>图库未移动，仍在原文件夹中。请重试。</translation>
    </message>
    <message>
        <source>{count} job(s) are running in another Wan 2.7 window or command ({jobs}).</source>
        <translation>另一个 Wan 2.7 窗口或命令中有 {count} 个任务正在运行（{jobs}）。</translation>
    </message>
    <message>
        <source>Wait for them to finish, then move the library.</source>
        <translation>请等它们完成后再移动图库。</translation>
    </message>
    <message>
        <source>There is no library in {source} to move.</source>
        <translation>{source} 中没有可移动的图库。</translation>
    </message>
    <message>
        <source>Check the library folder in Settings.</source>
        <translation>请在设置中检查图库文件夹。</translation>
    </message>
    <message>
        <source>The library is already in this folder.</source>
        <translation>图库已经在这个文件夹中。</translation>
    </message>
    <message>
        <source>Choose another folder.</source>
        <translation>请选择其他文件夹。</translation>
    </message>
    <message>
        <source>{target} is inside the library&apos;s current folder {source}.</source>
        <translation>{target} 位于图库当前文件夹 {source} 内。</translation>
    </message>
    <message>
        <source>Choose a folder outside the current library folder.</source>
        <translation>请选择当前图库文件夹之外的文件夹。</translation>
    </message>
    <message>
        <source>{target} is a file, not a folder.</source>
        <translation>{target} 是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>Choose an empty folder.</source>
        <translation>请选择一个空文件夹。</translation>
    </message>
    <message>
        <source>The folder {target} is not empty ({entries}).</source>
        <translation>文件夹 {target} 不是空的（{entries}）。</translation>
    </message>
    <message>
        <source>Choose an empty folder, or create a new folder for the library.</source>
        <translation>请选择一个空文件夹，或为图库新建一个文件夹。</translation>
    </message>
    <message>
        <source>The folder {folder} cannot be written to.</source>
        <translation>无法写入文件夹 {folder}。</translation>
    </message>
    <message>
        <source>Choose a folder you can write to, or change its permissions.</source>
        <translation>请选择你有写入权限的文件夹，或修改其权限。</translation>
    </message>
    <message>
        <source>Not enough free space in {folder}: the library needs {needed}, {free} is free.</source>
        <translation>{folder} 的可用空间不足：图库需要 {needed}，可用 {free}。</translation>
    </message>
    <message>
        <source>Free some space there or choose another disk.</source>
        <translation>请释放一些空间或选择其他磁盘。</translation>
    </message>
    <message>
        <source>{path} disappeared during the move.</source>
        <translation>{path} 在移动过程中消失了。</translation>
    </message>
    <message>
        <source>The copy of the library did not match the original: {problems}</source>
        <translation>图库副本与原件不一致：{problems}</translation>
    </message>
    <message>
        <source>What to do: {hint}</source>
        <translation>建议：{hint}</translation>
    </message>
    <message>
        <source>The request was canceled.</source>
        <translation>请求已取消。</translation>
    </message>
    <message>
        <source>Paste the key again exactly as shown in the Model Studio console.</source>
        <translation>请按百炼控制台中显示的内容原样重新粘贴密钥。</translation>
    </message>
    <message>
        <source>Waiting for the task was canceled.</source>
        <translation>已取消等待任务。</translation>
    </message>
    <message>
        <source>Task {task_id} did not finish within {seconds} s; it may still finish on the service.</source>
        <translation>任务 {task_id} 未在 {seconds} 秒内完成；它仍可能在服务端完成。</translation>
    </message>
    <message>
        <source>Task {task_id} did not finish within {seconds} s (last error: {error}); it may still finish on the service.</source>
        <translation>任务 {task_id} 未在 {seconds} 秒内完成（最后一个错误：{error}）；它仍可能在服务端完成。</translation>
    </message>
    <message>
        <source>Could not connect to {host}: {reason}.</source>
        <translation>无法连接到 {host}：{reason}。</translation>
    </message>
    <message>
        <source>The generation was interrupted and may have been billed: the connection failed after the request was sent ({reason}); no request id is known.</source>
        <translation>生成被中断，可能已计费：请求发出后连接失败（{reason}）；没有可用的请求 ID。</translation>
    </message>
    <message>
        <source>The generation was interrupted and may have been billed: the service accepted the request but its answer could not be read; request id {request_id}.</source>
        <translation>生成被中断，可能已计费：服务端已受理请求，但无法读取其响应；请求 ID {request_id}。</translation>
    </message>
    <message>
        <source>The generation was interrupted and may have been billed: the service accepted the request but its answer could not be read; no request id is known.</source>
        <translation>生成被中断，可能已计费：服务端已受理请求，但无法读取其响应；没有可用的请求 ID。</translation>
    </message>
    <message>
        <source>The generation was interrupted and may have been billed: a gateway answered HTTP {status} without the service&apos;s error body; no request id is known.</source>
        <translation>生成被中断，可能已计费：网关返回了 HTTP {status}，但没有服务端的错误内容；没有可用的请求 ID。</translation>
    </message>
    <message>
        <source>The request to {host} failed: {reason}.</source>
        <translation>发往 {host} 的请求失败：{reason}。</translation>
    </message>
    <message>
        <source>{name} is not a readable image{reason}.</source>
        <translation>{name} 不是可读取的图片{reason}。</translation>
    </message>
    <message>
        <source>The file may be damaged, still being written, or not an image; try re-exporting it.</source>
        <translation>文件可能已损坏、仍在写入，或者不是图片；请尝试重新导出。</translation>
    </message>
    <message>
        <source>{name} could not be decoded{reason}.</source>
        <translation>无法解码 {name}{reason}。</translation>
    </message>
    <message>
        <source>Use fewer reference images in one request, or a less detailed (noisy) image.</source>
        <translation>请在一次请求中使用更少的参考图，或换用细节（噪点）更少的图片。</translation>
    </message>
    <message>
        <source>{name} does not exist (it may have been moved or deleted).</source>
        <translation>{name} 不存在（可能已被移动或删除）。</translation>
    </message>
    <message>
        <source>{name} cannot be read: {reason}.</source>
        <translation>无法读取 {name}：{reason}。</translation>
    </message>
    <message>
        <source>Re-export or re-download the image.</source>
        <translation>请重新导出或重新下载这张图片。</translation>
    </message>
    <message>
        <source>Store a key with &apos;wan27 key set&apos; (or in the app&apos;s key dialog), or set the DASHSCOPE_API_KEY environment variable.</source>
        <translation>请用 &apos;wan27 key set&apos; 保存密钥（或在应用的密钥对话框中保存），或设置环境变量 DASHSCOPE_API_KEY。</translation>
    </message>
    <message>
        <source>Not sent: the app closed before this job&apos;s turn came. Nothing was billed.</source>
        <translation>未发送：轮到此任务之前应用已关闭。未产生费用。</translation>
    </message>
    <message>
        <source>Canceled before it was sent. Nothing was billed.</source>
        <translation>在发送前已取消。未产生费用。</translation>
    </message>
    <message>
        <source>Retry to send it.</source>
        <translation>请重试以重新发送。</translation>
    </message>
    <message>
        <source>Interrupted before it was sent: not sent, not billed.</source>
        <translation>发送前被中断：未发送，未计费。</translation>
    </message>
    <message>
        <source>The service does not know task {task_id} (UNKNOWN), although it was sent less than 24 hours ago.</source>
        <translation>服务不认识任务 {task_id}（UNKNOWN），尽管它是不到 24 小时前发送的。</translation>
    </message>
    <message>
        <source>Check that the key for this job&apos;s region belongs to the account that created the task, then resume the job.</source>
        <translation>请确认此任务所在地域的密钥属于创建该任务的账号，然后继续该任务。</translation>
    </message>
    <message>
        <source>The result host refuses the image (HTTP {status}): {reason}</source>
        <translation>结果主机拒绝提供该图片（HTTP {status}）：{reason}</translation>
    </message>
    <message>
        <source>The link does not work; resume the job to try once more, or generate the image again.</source>
        <translation>链接无法使用；可继续任务再试一次，或重新生成图片。</translation>
    </message>
    <message>
        <source>The image could not be downloaded in {rounds} tries; last error: {reason}</source>
        <translation>尝试 {rounds} 次仍无法下载图片；最后的错误：{reason}</translation>
    </message>
    <message>
        <source>Resume the job to try again while its link is valid (24 hours), or generate the image again.</source>
        <translation>可在链接有效期内（24 小时）继续任务重试，或重新生成图片。</translation>
    </message>
    <message>
        <source>Job {job} is waiting for its turn in another Wan 2.7 window; cancel it there.</source>
        <translation>任务 {job} 正在另一个 Wan 2.7 窗口中排队；请在那里取消它。</translation>
    </message>
    <message>
        <source>Use Cancel on the job&apos;s row in that window.</source>
        <translation>请在那个窗口中该任务所在行使用“取消”。</translation>
    </message>
    <message>
        <source>Job {job} has already ended ({state}); there is nothing to cancel.</source>
        <translation>任务 {job} 已结束（{state}）；没有可取消的内容。</translation>
    </message>
    <message>
        <source>See &apos;wan27 jobs show&apos; for what it cost.</source>
        <translation>费用请查看 &apos;wan27 jobs show&apos;。</translation>
    </message>
    <message>
        <source>The service does not know task {task_id} (for this key, region and endpoint).</source>
        <translation>服务不认识任务 {task_id}（对于此密钥、地域和端点）。</translation>
    </message>
    <message>
        <source>Tasks are kept for 24 hours, and only the account that made one can see it; check the task id and the region.</source>
        <translation>任务只保留 24 小时，且只有创建它的账号可见；请检查任务 ID 和地域。</translation>
    </message>
    <message>
        <source>Copy the diagnostic info (Help menu) into a bug report.</source>
        <translation>请将诊断信息（帮助菜单）复制到问题报告中。</translation>
    </message>
    <message>
        <source>The task was canceled before it ran.</source>
        <translation>任务在运行前已取消。</translation>
    </message>
    <message>
        <source>The service no longer knows this task (tasks are kept 24 hours).</source>
        <translation>服务端已不再保留此任务（任务只保留 24 小时）。</translation>
    </message>
    <message>
        <source>Try again, or change the prompt if it may have been filtered.</source>
        <translation>请重试；如果提示词可能被过滤，请修改后再试。</translation>
    </message>
    <message>
        <source>The service returned {downloaded} of {asked} images; only the returned images are billed.</source>
        <translation>服务端返回了 {asked} 张中的 {downloaded} 张图片；只有返回的图片会计费。</translation>
    </message>
    <message>
        <source>Generate again for the missing images.</source>
        <translation>请重新生成缺少的图片。</translation>
    </message>
    <message>
        <source>Interrupted while sending; the request may have been accepted and billed.</source>
        <translation>发送时被中断；请求可能已被受理并计费。</translation>
    </message>
    <message>
        <source>Add a key in Settings or set DASHSCOPE_API_KEY.</source>
        <translation>请在设置中添加密钥，或设置 DASHSCOPE_API_KEY。</translation>
    </message>
    <message>
        <source>Cannot read reference image {name}: {reason}.</source>
        <translation>无法读取参考图 {name}：{reason}。</translation>
    </message>
    <message>
        <source>Set the DASHSCOPE_API_KEY environment variable before starting the app or the wan27 command; it is used in place of the keyring and never saved.</source>
        <translation>请在启动应用或 wan27 命令前设置环境变量 DASHSCOPE_API_KEY；它会代替系统密钥环使用，且不会保存。</translation>
    </message>
    <message>
        <source>The library database {path} stayed locked: {reason}.</source>
        <translation>图库数据库 {path} 一直处于锁定状态：{reason}。</translation>
    </message>
    <message>
        <source>The library is busy in another program and stayed locked: {reason}.</source>
        <translation>图库正被其他程序使用，一直处于锁定状态：{reason}。</translation>
    </message>
    <message>
        <source>Close other Wan 2.7 windows or commands and try again.</source>
        <translation>请关闭其他 Wan 2.7 窗口或命令后重试。</translation>
    </message>
    <message>
        <source>Check that the library folder exists and is writable, then try again.</source>
        <translation>请确认图库文件夹存在且可写入，然后重试。</translation>
    </message>
    <message>
        <source>The library database {path} is damaged ({detail}).</source>
        <translation>图库数据库 {path} 已损坏（{detail}）。</translation>
    </message>
    <message>
        <source>Rebuild the library from its image files with `wan27 library recover`; the damaged file is kept aside, never deleted.</source>
        <translation>使用 `wan27 library recover` 从图片文件重建图库；损坏的文件会被另存，绝不会删除。</translation>
    </message>
    <message>
        <source>The library database {path} is empty (0 bytes), but the library folder holds images.</source>
        <translation>图库数据库 {path} 是空文件（0 字节），但图库文件夹中有图片。</translation>
    </message>
    <message>
        <source>Restore the file from a backup, or rebuild the index from the image files with `wan27 library recover` (the empty file is kept aside).</source>
        <translation>请从备份恢复该文件，或使用 `wan27 library recover` 从图片文件重建索引（空文件会被另存）。</translation>
    </message>
    <message>
        <source>Make the library folder and its files writable for your user (or mount the disk read-write), then try again. Nothing is damaged: do not run `wan27 library recover`.</source>
        <translation>请让你的用户可以写入图库文件夹及其文件（或以读写方式挂载磁盘），然后重试。没有任何损坏：不要运行 `wan27 library recover`。</translation>
    </message>
    <message>
        <source>Check that the library folder exists, that its disk is connected, and that your user may read and write it. Nothing is damaged: do not run `wan27 library recover`.</source>
        <translation>请确认图库文件夹存在、其所在磁盘已连接，且你的用户可以读写它。没有任何损坏：不要运行 `wan27 library recover`。</translation>
    </message>
    <message>
        <source>Free some space on that disk, then try again. Nothing was lost; the journal is intact.</source>
        <translation>请在该磁盘上腾出空间后重试。没有任何丢失；任务日志完好。</translation>
    </message>
    <message>
        <source>Check the disk (and its cable or network connection for an external or network drive), then try again. If it keeps happening, copy the library folder to a healthy disk.</source>
        <translation>请检查磁盘（外接或网络驱动器还需检查线缆或网络连接），然后重试。如果反复出现，请把图库文件夹复制到一块正常的磁盘上。</translation>
    </message>
    <message>
        <source>Wait until the other Wan 2.7 window or command has finished, then try again.</source>
        <translation>请等另一个 Wan 2.7 窗口或命令完成后再试。</translation>
    </message>
    <message>
        <source>Free some space on that disk (or move the library), then try again. Nothing was sent or billed.</source>
        <translation>请在该磁盘上腾出空间（或移动图库）后重试。未发送任何请求，也未产生费用。</translation>
    </message>
    <message>
        <source>This library was written by a newer Wan 2.7 Desktop; update the app to open it.</source>
        <translation>此图库由更新版本的 Wan 2.7 Desktop 写入；请更新应用后再打开。</translation>
    </message>
    <message>
        <source>It may have been deleted; refresh the view.</source>
        <translation>它可能已被删除；请刷新视图。</translation>
    </message>
    <message>
        <source>{failed} image(s) could not be exported: {reasons}</source>
        <translation>{failed} 张图片无法导出：{reasons}</translation>
    </message>
    <message>
        <source>The other images were exported. Restore the missing files from a backup, or move those images to the trash.</source>
        <translation>其他图片已导出。请从备份恢复缺失的文件，或将这些图片移到回收站。</translation>
    </message>
    <message>
        <source>The library in {folder} is read-only, so nothing can be saved ({reason}).</source>
        <translation>{folder} 中的图库是只读的，无法保存任何内容（{reason}）。</translation>
    </message>
    <message>
        <source>The library database {path} cannot be opened ({reason}).</source>
        <translation>无法打开图库数据库 {path}（{reason}）。</translation>
    </message>
    <message>
        <source>The disk holding the library ({folder}) is full ({reason}).</source>
        <translation>图库所在的磁盘（{folder}）已满（{reason}）。</translation>
    </message>
    <message>
        <source>The disk holding the library ({folder}) reported a read or write error ({reason}).</source>
        <translation>图库所在的磁盘（{folder}）报告了读写错误（{reason}）。</translation>
    </message>
    <message>
        <source>The library database {path} could not be used ({reason}).</source>
        <translation>无法使用图库数据库 {path}（{reason}）。</translation>
    </message>
    <message>
        <source>The library folder {folder} cannot be used ({reason}).</source>
        <translation>无法使用图库文件夹 {folder}（{reason}）。</translation>
    </message>
    <message>
        <source>Reference image {name} changed while it was being copied.</source>
        <translation>参考图 {name} 在复制过程中发生了变化。</translation>
    </message>
    <message>
        <source>Try again once the file is no longer being written.</source>
        <translation>请等文件写入完成后再试。</translation>
    </message>
    <message>
        <source>Job {job} is leased by another process.</source>
        <translation>任务 {job} 正由另一个进程运行。</translation>
    </message>
    <message>
        <source>Another program is using the library, so its database cannot be replaced now.</source>
        <translation>另一个程序正在使用图库，因此现在无法替换其数据库。</translation>
    </message>
    <message>
        <source>Close other Wan 2.7 windows and commands, then rebuild again.</source>
        <translation>请关闭其他 Wan 2.7 窗口和命令，然后再次重建。</translation>
    </message>
    <message>
        <source>The result host answered HTTP {status}.</source>
        <translation>结果服务器返回了 HTTP {status}。</translation>
    </message>
    <message>
        <source>The download was canceled.</source>
        <translation>下载已取消。</translation>
    </message>
    <message>
        <source>The result URL is not valid: {reason}.</source>
        <translation>结果 URL 无效：{reason}。</translation>
    </message>
    <message>
        <source>Generate the image again.</source>
        <translation>请重新生成这张图片。</translation>
    </message>
    <message>
        <source>The download from {host} failed: {reason}.</source>
        <translation>从 {host} 下载失败：{reason}。</translation>
    </message>
    <message>
        <source>The result URL redirected more than {count} times.</source>
        <translation>结果 URL 重定向超过 {count} 次。</translation>
    </message>
    <message>
        <source>The result host answered HTTP {status} without a Location.</source>
        <translation>结果服务器返回了 HTTP {status}，但没有 Location。</translation>
    </message>
    <message>
        <source>The result URL redirected to a {scheme} URL; refused.</source>
        <translation>结果 URL 重定向到 {scheme} URL；已拒绝。</translation>
    </message>
    <message>
        <source>The result is {size} bytes, over the {limit}-byte limit; refused.</source>
        <translation>结果大小为 {size} 字节，超过 {limit} 字节的上限；已拒绝。</translation>
    </message>
    <message>
        <source>The result is over the {limit}-byte limit; download stopped.</source>
        <translation>结果超过 {limit} 字节的上限；已停止下载。</translation>
    </message>
    <message>
        <source>The result host is too slow ({size} bytes in {seconds} s); download stopped.</source>
        <translation>结果服务器太慢（{seconds} 秒内仅 {size} 字节）；已停止下载。</translation>
    </message>
    <message>
        <source>The download was cut off ({size} of {total} bytes).</source>
        <translation>下载被中断（{total} 字节中仅收到 {size} 字节）。</translation>
    </message>
    <message>
        <source>The disk is full: the result could not be saved in {folder}.</source>
        <translation>磁盘已满：无法将结果保存到 {folder}。</translation>
    </message>
    <message>
        <source>Free some space on that disk, then resume the job; result links stay valid for 24 hours.</source>
        <translation>请在该磁盘上腾出空间，然后继续该任务；结果链接在 24 小时内有效。</translation>
    </message>
    <message>
        <source>The result could not be saved in {folder}: {reason}.</source>
        <translation>无法将结果保存到 {folder}：{reason}。</translation>
    </message>
    <message>
        <source>Check that the folder exists and is writable, then resume the job.</source>
        <translation>请确认该文件夹存在且可写入，然后继续该任务。</translation>
    </message>
    <message>
        <source>The API key was rejected.</source>
        <translation>API 密钥被拒绝。</translation>
    </message>
    <message>
        <source>The API key was rejected (HTTP {status}).</source>
        <translation>API 密钥被拒绝（HTTP {status}）。</translation>
    </message>
    <message>
        <source>Access to the model was denied.</source>
        <translation>无权访问该模型。</translation>
    </message>
    <message>
        <source>Access to the model was denied (HTTP {status}).</source>
        <translation>无权访问该模型（HTTP {status}）。</translation>
    </message>
    <message>
        <source>The service is throttling requests.</source>
        <translation>服务端正在限流。</translation>
    </message>
    <message>
        <source>The service is throttling requests (HTTP {status}).</source>
        <translation>服务端正在限流（HTTP {status}）。</translation>
    </message>
    <message>
        <source>The service had an internal error.</source>
        <translation>服务端发生内部错误。</translation>
    </message>
    <message>
        <source>The service had an internal error (HTTP {status}).</source>
        <translation>服务端发生内部错误（HTTP {status}）。</translation>
    </message>
    <message>
        <source>The request was too large for the service.</source>
        <translation>请求过大，服务端无法处理。</translation>
    </message>
    <message>
        <source>The request was too large for the service (HTTP {status}).</source>
        <translation>请求过大，服务端无法处理（HTTP {status}）。</translation>
    </message>
    <message>
        <source>The service refused the request.</source>
        <translation>服务端拒绝了请求。</translation>
    </message>
    <message>
        <source>The service refused the request (HTTP {status}).</source>
        <translation>服务端拒绝了请求（HTTP {status}）。</translation>
    </message>
    <message>
        <source>The request failed: an HTML error page (HTTP {status}) from a proxy or gateway.</source>
        <translation>请求失败：代理或网关返回了 HTML 错误页（HTTP {status}）。</translation>
    </message>
    <message>
        <source>The request failed: HTTP {status} with an empty body.</source>
        <translation>请求失败：HTTP {status}，响应内容为空。</translation>
    </message>
    <message>
        <source>The request failed: HTTP {status} with an unreadable body.</source>
        <translation>请求失败：HTTP {status}，响应内容无法读取。</translation>
    </message>
    <message>
        <source>Task {task_id} failed.</source>
        <translation>任务 {task_id} 失败。</translation>
    </message>
    <message>
        <source>Task {task_id} was canceled.</source>
        <translation>任务 {task_id} 已取消。</translation>
    </message>
    <message>
        <source>Task {task_id} is unknown to the service (expired after 24 h, or never created with this key).</source>
        <translation>服务端不认识任务 {task_id}（已在 24 小时后过期，或并非用此密钥创建）。</translation>
    </message>
    <message>
        <source>The operation was canceled.</source>
        <translation>操作已取消。</translation>
    </message>
    <message>
        <source>Cannot write thumbnail {name}: {reason}.</source>
        <translation>无法写入缩略图 {name}：{reason}。</translation>
    </message>
    <message>
        <source>the connection was refused (is the address right, and the service up?)</source>
        <translation>连接被拒绝（地址是否正确？服务是否在运行？）</translation>
    </message>
    <message>
        <source>the host name could not be resolved (no internet connection, or DNS is not working)</source>
        <translation>无法解析主机名（没有网络连接，或 DNS 不可用）</translation>
    </message>
    <message>
        <source>the network is unreachable (check the internet connection)</source>
        <translation>网络不可达（请检查网络连接）</translation>
    </message>
    <message>
        <source>the connection timed out</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>the answer did not come in time</source>
        <translation>未能及时收到响应</translation>
    </message>
    <message>
        <source>the server&apos;s certificate is not trusted (a proxy or firewall may be intercepting the connection)</source>
        <translation>服务器证书不受信任（可能有代理或防火墙在拦截连接）</translation>
    </message>
    <message>
        <source>the connection was closed unexpectedly</source>
        <translation>连接意外关闭</translation>
    </message>
    <message>
        <source>the proxy refused the connection</source>
        <translation>代理拒绝了连接</translation>
    </message>
    <message>
        <source>Rate-limited — retrying in {seconds} s, attempt {attempt}</source>
        <translation>请求受限 — {seconds} 秒后重试，第 {attempt} 次</translation>
    </message>
    <message>
        <source>Nothing to do: the account allows 5 requests a second and 5 tasks at a time.</source>
        <translation>无需操作：账号每秒最多 5 个请求，同时最多 5 个任务。</translation>
    </message>
    <message>
        <source>A temporary problem — retrying in {seconds} s, attempt {attempt}</source>
        <translation>临时故障 — {seconds} 秒后重试，第 {attempt} 次</translation>
    </message>
    <message>
        <source>Running at the service — it will be billed; results will be saved. The service cancels only tasks that have not started.</source>
        <translation>服务端运行中 — 将会计费；结果会被保存。服务只能取消尚未开始的任务。</translation>
    </message>
    <message>
        <source>Nothing to do: the images appear here when the task finishes.</source>
        <translation>无需操作：任务完成后图片会显示在这里。</translation>
    </message>
    <message>
        <source>Cancel requested — waiting for the service to confirm.</source>
        <translation>已请求取消 — 等待服务确认。</translation>
    </message>
    <message>
        <source>Nothing is billed once the service confirms the cancel.</source>
        <translation>服务确认取消后不会计费。</translation>
    </message>
    <message>
        <source>The service could not be asked to cancel ({reason}); the task may run and be billed.</source>
        <translation>无法向服务发送取消请求（{reason}）；该任务可能会运行并计费。</translation>
    </message>
    <message>
        <source>Its results will be saved if it runs; try Cancel again in a moment.</source>
        <translation>若任务运行，其结果会被保存；稍后可再次尝试取消。</translation>
    </message>
    <message>
        <source>Cannot stop: the request is with the service, which may still bill it. Its images will be saved when the answer comes.</source>
        <translation>无法停止：请求已在服务端，仍可能计费。收到答复后会保存其图片。</translation>
    </message>
    <message>
        <source>Keep the app open until the answer comes; Automatic mode can be canceled while queued.</source>
        <translation>请在收到答复前保持应用打开；自动模式在排队时可以取消。</translation>
    </message>
    <message>
        <source>Already billed: its images are being saved.</source>
        <translation>已计费：正在保存其图片。</translation>
    </message>
    <message>
        <source>Nothing to do: the images appear when they are saved.</source>
        <translation>无需操作：图片保存后即会显示。</translation>
    </message>
    <message>
        <source>Resume looks for its task again (it never sends the request again); Jobs › Tasks at the Service lists the account&apos;s tasks.</source>
        <translation>“继续”会再次查找它的任务（绝不会重新发送请求）；“任务 › 服务端任务”列出该账号的所有任务。</translation>
    </message>
    <message>
        <source>The answer was lost after the request was sent; looking for its task at the service…</source>
        <translation>请求发出后应答丢失；正在服务端查找它的任务…</translation>
    </message>
    <message>
        <source>Nothing to do: a task found is carried on, never sent again.</source>
        <translation>无需操作：找到的任务会继续处理，绝不会重新发送。</translation>
    </message>
    <message>
        <source>Its answer was lost; its task {task_id} was found at the service by its request id.</source>
        <translation>它的应答丢失了；已按请求 ID 在服务端找到它的任务 {task_id}。</translation>
    </message>
    <message>
        <source>Its answer was lost; its task {task_id} was found at the service: the only one made when it was sent.</source>
        <translation>它的应答丢失了；已在服务端找到它的任务 {task_id}：发送时创建的唯一任务。</translation>
    </message>
    <message>
        <source>Nothing to do: its images are saved when the task finishes.</source>
        <translation>无需操作：任务完成后会保存它的图片。</translation>
    </message>
    <message>
        <source>Task {task_id} was made when this job&apos;s answer was lost: it is fetched into this job.</source>
        <translation>任务 {task_id} 创建于此任务应答丢失之时：已将其获取到此任务中。</translation>
    </message>
    <message>
        <source>The answer was lost after the request was sent, and the service&apos;s task list shows no task made then: it may not have been accepted, or the list may not show it yet.</source>
        <translation>请求发出后应答丢失，且服务端任务列表中没有当时创建的任务：请求可能未被受理，或列表尚未显示它。</translation>
    </message>
    <message>
        <source>The answer was lost after the request was sent, and {count} tasks at the service were made then: which one is this job&apos;s cannot be told.</source>
        <translation>请求发出后应答丢失，而服务端当时创建了 {count} 个任务：无法判断哪一个属于此任务。</translation>
    </message>
    <message>
        <source>Fetch the right one from Jobs › Tasks at the Service (or &apos;wan27 jobs remote&apos;); retrying would bill again.</source>
        <translation>请从“任务 › 服务端任务”（或 &apos;wan27 jobs remote&apos;）获取正确的那个；重试会再次计费。</translation>
    </message>
    <message>
        <source>The answer was lost after the request was sent. The service made one task then, but job {job} also lost its answer then and could have made it.</source>
        <translation>请求发出后应答丢失。服务端当时创建了一个任务，但任务 {job} 同时也丢失了应答，该任务也可能属于它。</translation>
    </message>
    <message>
        <source>Jobs › Tasks at the Service (or &apos;wan27 jobs remote&apos;) can fetch it as a job of its own; retrying would bill again.</source>
        <translation>可在“任务 › 服务端任务”（或 &apos;wan27 jobs remote&apos;）中将它获取为一个单独的任务；重试会再次计费。</translation>
    </message>
    <message>
        <source>The answer was lost after the request was sent. The one task the service made then was fetched by its id into job {job}.</source>
        <translation>请求发出后应答丢失。服务端当时创建的唯一任务已按任务 ID 获取到任务 {job} 中。</translation>
    </message>
    <message>
        <source>Nothing is lost: if that task was this job&apos;s, its images are in that job.</source>
        <translation>没有丢失任何内容：如果那个任务属于此任务，它的图片就在那个任务中。</translation>
    </message>
    <message>
        <source>The answer was lost after the request was sent, and the service&apos;s task list could not be read to find its task ({reason}).</source>
        <translation>请求发出后应答丢失，且无法读取服务端任务列表来查找它的任务（{reason}）。</translation>
    </message>
    <message>
        <source>Interrupted while sending, and no task of this job appeared at the service in the 24 hours it keeps tasks; the request may still have been billed.</source>
        <translation>发送时被中断，且在服务端保留任务的 24 小时内未出现此任务的任务；该请求仍可能已计费。</translation>
    </message>
    <message>
        <source>The console&apos;s bill shows whether it was.</source>
        <translation>控制台的账单会显示是否已计费。</translation>
    </message>
    <message>
        <source>Job {job} names an unknown region {region}.</source>
        <translation>任务 {job} 的地域 {region} 未知。</translation>
    </message>
    <message>
        <source>The task listing is not a JSON object.</source>
        <translation>任务列表不是 JSON 对象。</translation>
    </message>
    <message>
        <source>The task listing has no list of tasks.</source>
        <translation>任务列表中没有任务清单。</translation>
    </message>
    <message>
        <source>Only a batch made from a prompt matrix has a grid.</source>
        <translation>只有由提示词矩阵生成的批量任务才有网格图。</translation>
    </message>
    <message>
        <source>Batch {batch} is not a prompt matrix.</source>
        <translation>批量任务 {batch} 不是提示词矩阵。</translation>
    </message>
    <message>
        <source>The batch has no axis &apos;{axis}&apos;; its axes are: {axes}.</source>
        <translation>批量任务没有轴 &apos;{axis}&apos;；它的轴是：{axes}。</translation>
    </message>
    <message>
        <source>Pick one of the batch&apos;s axes.</source>
        <translation>请选择批量任务的一个轴。</translation>
    </message>
    <message>
        <source>Cannot write the grid image {path}: {reason}.</source>
        <translation>无法写入网格图 {path}：{reason}。</translation>
    </message>
    <message>
        <source>Pick a folder you can write to, with free space.</source>
        <translation>请选择一个可写入且有空闲空间的文件夹。</translation>
    </message>
    <message>
        <source>Stopped before the request was sent. Nothing was billed.</source>
        <translation>在请求发送前已停止，未产生费用。</translation>
    </message>
    <message>
        <source>The batch was canceled before this row was sent. Nothing was billed.</source>
        <translation>批量任务在发送此行之前已取消，未产生费用。</translation>
    </message>
    <message>
        <source>Wait for it to finish there, or close that window or command.</source>
        <translation>请等它在那边完成，或关闭那个窗口或命令。</translation>
    </message>
    <message>
        <source>Batch {batch} is being run by another window or command.</source>
        <translation>批量任务 {batch} 正在由另一个窗口或命令运行。</translation>
    </message>
    <message>
        <source>This would cross your daily spending limit for {region}: {spent} spent or in progress today, plus up to {estimate} now, against a limit of {limit}.</source>
        <translation>这会超出 {region} 的每日花费上限：今日已花费或进行中 {spent}，加上本次最多 {estimate}，上限为 {limit}。</translation>
    </message>
    <message>
        <source>This would cross your monthly spending limit for {region}: {spent} spent or in progress this month, plus up to {estimate} now, against a limit of {limit}.</source>
        <translation>这会超出 {region} 的每月花费上限：本月已花费或进行中 {spent}，加上本次最多 {estimate}，上限为 {limit}。</translation>
    </message>
    <message>
        <source>Nothing was sent. Raise the limit (Settings, or &apos;wan27 spend limit&apos;), or confirm to send it anyway (&apos;--over-limit&apos; in the wan27 command).</source>
        <translation>未发送任何内容。请提高上限（设置，或 &apos;wan27 spend limit&apos;），或确认后仍然发送（wan27 命令中使用 &apos;--over-limit&apos;）。</translation>
    </message>
    <message>
        <source>The library is being rebuilt or recovered, so no job can start now.</source>
        <translation>图库正在重建或恢复，现在无法开始任务。</translation>
    </message>
    <message>
        <source>Try again when `wan27 library rebuild` or `recover` has finished.</source>
        <translation>请在 `wan27 library rebuild` 或 `recover` 完成后重试。</translation>
    </message>
    <message>
        <source>Cannot {action} now: another rebuild, recover or move is under way.</source>
        <translation>现在无法执行 {action}：另一个重建、恢复或移动操作正在进行。</translation>
    </message>
    <message>
        <source>Cannot {action} while {count} job(s) run: {jobs}.</source>
        <translation>有 {count} 个任务正在运行，无法执行 {action}：{jobs}。</translation>
    </message>
    <message>
        <source>Wait until they finish (or cancel them) in the other Wan 2.7 window or command, then try again.</source>
        <translation>请等它们在另一个 Wan 2.7 窗口或命令中完成（或取消它们），然后重试。</translation>
    </message>
    <message>
        <source>The library database {path} passed SQLite&apos;s integrity check: it is not damaged, so it was left as it is.</source>
        <translation>图库数据库 {path} 通过了 SQLite 完整性检查：它没有损坏，因此保持原样。</translation>
    </message>
    <message>
        <source>To re-index the image files and keep the journal, run `wan27 library rebuild`. To set this database aside anyway, run `wan27 library recover --force`.</source>
        <translation>要重新索引图片文件并保留任务日志，请运行 `wan27 library rebuild`。如仍要将此数据库另存，请运行 `wan27 library recover --force`。</translation>
    </message>
    <message>
        <source>The index lists no images, but {folder} holds image files that are not in it.</source>
        <translation>索引中没有任何图片，但 {folder} 中有不在索引里的图片文件。</translation>
    </message>
    <message>
        <source>Run `wan27 library rebuild` to index them from their metadata.</source>
        <translation>请运行 `wan27 library rebuild`，根据元数据为它们建立索引。</translation>
    </message>
    <message>
        <source>Not enough free space in {folder}: this job may need up to {needed} for its results, and {free} is free. It was not sent.</source>
        <translation>{folder} 的可用空间不足：此任务的结果最多可能需要 {needed}，而可用空间只有 {free}。任务未发送。</translation>
    </message>
    <message>
        <source>The library is being rebuilt or recovered by another Wan 2.7 window or command.</source>
        <translation>另一个 Wan 2.7 窗口或命令正在重建或恢复图库。</translation>
    </message>
    <message>
        <source>Cannot {action} now: another Wan 2.7 window or command has the library open.</source>
        <translation>现在无法执行 {action}：另一个 Wan 2.7 窗口或命令打开了图库。</translation>
    </message>
    <message>
        <source>Close the other Wan 2.7 windows and wait for other wan27 commands to finish, then try again.</source>
        <translation>请关闭其他 Wan 2.7 窗口，并等待其他 wan27 命令结束，然后重试。</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>A red fox curled up asleep in fresh snow at golden hour, soft backlight through snowy pines, shallow depth of field, photorealistic, 35 mm film look</source>
        <translation>黄金时刻，一只红狐蜷缩在新雪中熟睡，柔和的逆光穿过积雪的松林，浅景深，照片级写实，35 毫米胶片质感</translation>
    </message>
    <message>
        <source>the macOS Keychain</source>
        <translation>macOS 钥匙串</translation>
    </message>
    <message>
        <source>Windows Credential Manager</source>
        <translation>Windows 凭据管理器</translation>
    </message>
    <message>
        <source>the system keyring (Secret Service)</source>
        <translation>系统密钥环</translation>
    </message>
    <message>
        <source>Welcome to Wan 2.7 Desktop</source>
        <translation>欢迎使用 Wan 2.7 Desktop</translation>
    </message>
    <message>
        <source>Make and edit images with Alibaba Cloud&apos;s Wan 2.7 models. Every image is saved on this computer with its prompt and settings. Three things to know:</source>
        <translation>使用阿里云 Wan 2.7 模型生成和编辑图片。每张图片都会连同提示词和参数保存在这台电脑上。开始前请了解三件事：</translation>
    </message>
    <message>
        <source>Choose the region where you use Model Studio: &lt;b&gt;{intl}&lt;/b&gt; for the international site (alibabacloud.com), &lt;b&gt;{china}&lt;/b&gt; for the Chinese mainland site (aliyun.com). A key works only in its own region.</source>
        <translation>选择你使用百炼的地域：国际站（alibabacloud.com）选 &lt;b&gt;{intl}&lt;/b&gt;，中国站（aliyun.com）选 &lt;b&gt;{china}&lt;/b&gt;。密钥只能在创建它的地域使用。</translation>
    </message>
    <message>
        <source>Create one in the Model Studio console, under &lt;i&gt;API keys&lt;/i&gt;. Step by step: &lt;a href=&quot;{intl}&quot;&gt;international site&lt;/a&gt; · &lt;a href=&quot;{china}&quot;&gt;China site&lt;/a&gt;.</source>
        <translation>在百炼控制台的 &lt;i&gt;API 密钥&lt;/i&gt; 页面创建。分步说明：&lt;a href=&quot;{intl}&quot;&gt;国际站&lt;/a&gt; · &lt;a href=&quot;{china}&quot;&gt;中国站&lt;/a&gt;。</translation>
    </message>
    <message>
        <source>The app keeps it in {keyring}, never in a file, and only ever shows it masked.</source>
        <translation>应用将密钥保存在{keyring}中，绝不写入文件，显示时始终打码。</translation>
    </message>
    <message>
        <source>Key status</source>
        <translation>密钥状态</translation>
    </message>
    <message>
        <source>Add API key</source>
        <translation>添加 API 密钥</translation>
    </message>
    <message>
        <source>Type what you want to see and press {keys} to generate. Or start from this sample:</source>
        <translation>输入你想看到的画面，按 {keys} 生成。也可以从这个示例开始：</translation>
    </message>
    <message>
        <source>Use this &amp;prompt</source>
        <translation>使用此提示词(&amp;P)</translation>
    </message>
    <message>
        <source>Use the sample prompt</source>
        <translation>使用示例提示词</translation>
    </message>
    <message>
        <source>Put the sample into the prompt editor</source>
        <translation>将示例放入提示词编辑框</translation>
    </message>
    <message>
        <source>Your images, their prompts and the job history are kept in this folder. It works offline; back it up like any folder, or move it in Settings ▸ Library.</source>
        <translation>你的图片、提示词和任务记录都保存在这个文件夹里。离线也能使用；可以像普通文件夹一样备份，或在“设置 ▸ 图库”中移动。</translation>
    </message>
    <message>
        <source>Library folder</source>
        <translation>图库文件夹</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>打开文件夹(&amp;O)</translation>
    </message>
    <message>
        <source>Open the library folder</source>
        <translation>打开图库文件夹</translation>
    </message>
    <message>
        <source>Your API key</source>
        <translation>你的 API 密钥</translation>
    </message>
    <message>
        <source>Try a prompt</source>
        <translation>试一个提示词</translation>
    </message>
    <message>
        <source>Your library</source>
        <translation>你的图库</translation>
    </message>
    <message>
        <source>Get &amp;started</source>
        <translation>开始使用(&amp;S)</translation>
    </message>
    <message>
        <source>Close the welcome</source>
        <translation>关闭欢迎页</translation>
    </message>
    <message>
        <source>Looking for a key…</source>
        <translation>正在查找密钥…</translation>
    </message>
    <message>
        <source>No key yet.</source>
        <translation>尚无密钥。</translation>
    </message>
    <message>
        <source>✓ A key for {region} is saved in the system keyring.</source>
        <translation>✓ {region}的密钥已保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>✓ Using the key from DASHSCOPE_API_KEY for {region}.</source>
        <translation>✓ {region}正在使用 DASHSCOPE_API_KEY 中的密钥。</translation>
    </message>
    <message>
        <source>✓ A key for {region} is set for this session.</source>
        <translation>✓ 已为本次会话设置{region}的密钥。</translation>
    </message>
    <message>
        <source>Re&amp;place key…</source>
        <translation>更换密钥(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Add API key…</source>
        <translation>添加 API 密钥(&amp;A)…</translation>
    </message>
    <message>
        <source>✓ In the prompt editor</source>
        <translation>✓ 已放入提示词编辑框</translation>
    </message>
    <message>
        <source>{path}
(The file manager could not be opened; copy the path instead.)</source>
        <translation>{path}
（无法打开文件管理器；请复制路径。）</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>Batch not started: {reason}</source>
        <translation>批量任务未启动：{reason}</translation>
    </message>
    <message>
        <source>The batch could not start</source>
        <translation>批量任务无法启动</translation>
    </message>
    <message numerus="yes">
        <source>%n batch(es) from the last session are paused: Jobs ▸ Batches… to resume.</source>
        <translation>
            <numerusform>上次会话的 %n 个批量任务已暂停：在 任务 ▸ 批量任务… 中继续。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resuming %n unfinished job(s) from the last session.</source>
        <translation>
            <numerusform>正在继续上次会话中 %n 个未完成的任务。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: no API key. Add one in Settings or set DASHSCOPE_API_KEY.</source>
        <translation>未发送：没有 API 密钥。请在设置中添加，或设置 DASHSCOPE_API_KEY。</translation>
    </message>
    <message>
        <source>Not sent: the library is being moved. Generate again when the move has finished.</source>
        <translation>未发送：图库正在移动。移动完成后请重新生成。</translation>
    </message>
    <message>
        <source>Canceling job {job}…</source>
        <translation>正在取消任务 {job}…</translation>
    </message>
    <message numerus="yes">
        <source>Resuming %n unfinished job(s).</source>
        <translation>
            <numerusform>正在继续 %n 个未完成的任务。</numerusform>
        </translation>
    </message>
    <message>
        <source>No unfinished jobs to resume.</source>
        <translation>没有需要继续的未完成任务。</translation>
    </message>
    <message>
        <source>Task {task}</source>
        <translation>任务 {task}</translation>
    </message>
    <message>
        <source>Fetching task {task}…</source>
        <translation>正在获取任务 {task}…</translation>
    </message>
    <message>
        <source>Resuming job {job}…</source>
        <translation>正在继续任务 {job}…</translation>
    </message>
    <message>
        <source>Task {task} was not fetched.</source>
        <translation>任务 {task} 未能获取。</translation>
    </message>
    <message>
        <source>The task could not be fetched</source>
        <translation>无法获取该任务</translation>
    </message>
    <message>
        <source>Not sent: {reason}</source>
        <translation>未发送：{reason}</translation>
    </message>
    <message>
        <source>The job could not start</source>
        <translation>任务无法开始</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) are still running, some in a batch. Wait for them to finish, or cancel them in the job queue and the batch in its window (Jobs ▸ Batches…), then move the library.</source>
        <translation>
            <numerusform>还有 %n 个任务正在运行，其中一些属于批量任务。请等待它们完成，或在任务队列中取消任务、在批量任务的窗口（任务 ▸ 批量任务…）中取消批量任务，然后再移动图库。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) are still running. Wait for them to finish, or cancel them in the job queue, then move the library.</source>
        <translation>
            <numerusform>还有 %n 个任务正在运行。请等待它们完成，或在任务队列中取消，然后再移动图库。</numerusform>
        </translation>
    </message>
    <message>
        <source>An import into the library is still running. Wait for it to finish, then move the library.</source>
        <translation>仍有导入图库的操作在进行。请等待其完成后再移动图库。</translation>
    </message>
    <message>
        <source>The library could not be opened, so it cannot be moved. Restart the app to try again, or see the message shown at start.</source>
        <translation>图库无法打开，因此无法移动。请重启应用后重试，或查看启动时显示的提示。</translation>
    </message>
    <message>
        <source>The library is still opening. Try again in a moment.</source>
        <translation>图库仍在打开。请稍后再试。</translation>
    </message>
</context>
<context>
    <name>_Counted</name>
    <message numerus="yes">
        <source>Done: %n image(s)</source>
        <translation>
            <numerusform>完成：%n 张图片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n 个任务运行中</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>_FitImage</name>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
</context>
</TS>
